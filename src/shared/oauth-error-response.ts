import type { Context } from 'koa';
import { errors } from 'oidc-provider';

import { isStoreUnavailable } from '../db/store-unavailable.ts';
import type { Logger } from '../observability/logger.ts';
import { OUTAGE_HEADERS } from '../db/outage-headers.ts';
import { TemporarilyUnavailable } from './temporarily-unavailable.ts';

/**
 * Answers an error raised by our code in front of an OAuth endpoint exactly as oidc-provider would
 * (RFC 6749 §5.2 body, its status, no-store): oidc-provider errors as they are, a store outage as
 * `TemporarilyUnavailable` (503, `Retry-After`), anything else as a bare `server_error`, logged.
 */
export function sendOAuthError(ctx: Context, error: unknown, logger: Logger): void {
  ctx.set('Cache-Control', 'no-store');
  if (isStoreUnavailable(error)) {
    logger.error({ err: error, path: ctx.path, interactionId: ctx.state.fapiInteractionId }, 'store.unavailable');
    const outage = error instanceof TemporarilyUnavailable ? error : new TemporarilyUnavailable({ cause: error });
    ctx.set(OUTAGE_HEADERS);
    ctx.status = outage.statusCode;
    ctx.body = { error: outage.error, error_description: outage.error_description };
    return;
  }
  if (error instanceof errors.OIDCProviderError && error.expose) {
    ctx.status = error.statusCode;
    ctx.body = { error: error.error, error_description: error.error_description };
    logger.info({ error: error.error, description: error.error_description, path: ctx.path }, 'oauth.error');
    return;
  }
  logger.error({ err: error, path: ctx.path, interactionId: ctx.state.fapiInteractionId }, 'oauth.server_error');
  ctx.status = 500;
  ctx.body = { error: 'server_error', error_description: 'oops! something went wrong' };
}
