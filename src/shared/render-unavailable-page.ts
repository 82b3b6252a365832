import type { Context } from 'koa';

import { OUTAGE_HEADERS } from '../db/outage-headers.ts';
import { renderView } from './render-view.ts';

/** What a customer reads while the store is unavailable: nothing failed that they did, and when to come back. */
const UNAVAILABLE_MESSAGE = 'This service is temporarily unavailable. Please try again in a minute.';

/**
 * Answers a browser page with the error page, 503 and `Retry-After`, when the store is
 * unavailable: for our own pages (`renderBrowserErrors`) and the ones oidc-provider renders
 * (`renderProviderError`) alike.
 */
export async function renderUnavailablePage(ctx: Context, view = 'auth/error'): Promise<void> {
  ctx.status = 503;
  ctx.set(OUTAGE_HEADERS);
  ctx.type = 'html';
  ctx.body = await renderView(view, { message: UNAVAILABLE_MESSAGE, code: undefined });
}
