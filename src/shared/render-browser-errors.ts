import type { Middleware } from 'koa';

import { isStoreUnavailable } from '../db/store-unavailable.ts';
import type { Logger } from '../observability/logger.ts';
import { renderUnavailablePage } from './render-unavailable-page.ts';
import { renderView } from './render-view.ts';

interface HttpError extends Error {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  error?: string;
  error_description?: string;
  /** Headers the answer carries (a 429's `Retry-After`), as Koa's HTTP errors hold them. */
  headers?: Record<string, string>;
}

/**
 * Turns an error thrown by a browser page into the error page (`view`, given `message` and `code`:
 * the customer's by default, the developer portal has its own). Client errors show their safe
 * description; a store outage says so, with 503 and `Retry-After`; a server error exposed on
 * purpose (a mail outage) shows its message and headers; anything else shows a generic message.
 * Outages and other server errors are logged with the interaction id.
 */
export function renderBrowserErrors(logger: Logger, view = 'auth/error'): Middleware {
  return async function renderBrowserErrors(ctx, next) {
    try {
      await next();
    } catch (caught) {
      const error = caught as HttpError;
      // An error that brings its own headers (a 429's or a mail outage's Retry-After) has decided
      // its answer: a socket code in it or its cause is not the store's.
      if (!error.headers && isStoreUnavailable(caught)) {
        logger.error({ err: caught, path: ctx.path, interactionId: ctx.state.fapiInteractionId }, 'store.unavailable');
        return renderUnavailablePage(ctx, view);
      }
      const status = error.statusCode ?? error.status ?? 500;
      // As in Koa: a 5xx shows its message only when the error says it was written for the reader.
      const exposed = error.expose ?? status < 500;
      // The status and the error's kind, not its words: a page's message may name its reader (a developer's address).
      if (exposed && status < 500) logger.info({ status, error: error.name, path: ctx.path }, 'browser.error');
      else logger.error({ err: error, path: ctx.path, interactionId: ctx.state.fapiInteractionId }, 'browser.server_error');
      ctx.status = exposed ? status : 500;
      if (exposed && error.headers) ctx.set(error.headers);
      ctx.type = 'html';
      ctx.body = await renderView(view, {
        message: exposed ? (error.error_description ?? error.message) : 'We could not complete your request. Please try again later.',
        code: exposed ? error.error : undefined,
      });
    }
  };
}
