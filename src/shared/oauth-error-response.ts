import type { Context } from 'koa';
import { errors } from 'oidc-provider';

import type { Logger } from '../observability/logger.ts';

/**
 * Answers an error raised by our code in front of an OAuth endpoint exactly as oidc-provider would
 * (RFC 6749 §5.2 body, its status, no-store): oidc-provider errors as they are, anything else as a
 * bare `server_error`, logged.
 */
export function sendOAuthError(ctx: Context, error: unknown, logger: Logger): void {
  ctx.set('Cache-Control', 'no-store');
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
