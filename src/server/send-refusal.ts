import type { Context } from 'koa';
import { errors } from 'oidc-provider';

import { ObError } from '../openbanking/ob-error.ts';
import { renderObErrors } from '../openbanking/ob-error-response.ts';
import type { Logger } from '../observability/logger.ts';
import { sendOAuthError } from '../shared/oauth-error-response.ts';
import { Problem } from '../shared/problem.ts';
import { sendProblem } from '../shared/problem-response.ts';
import { renderBrowserErrors } from '../shared/render-browser-errors.ts';
import type { ErrorFamily } from './error-family.ts';
import type { Refusal } from './refusal.ts';

/**
 * Answers a refused request in its family's format, through that family's one renderer (so the
 * body, `Cache-Control`, the echoed `x-fapi-interaction-id` and the log line are the ones its
 * endpoints would produce): RFC 6749 JSON, OBErrorResponse1, or the error page.
 */
export async function sendRefusal(ctx: Context, family: ErrorFamily, refusal: Refusal, logger: Logger): Promise<void> {
  // The other two renderers set it themselves; an error page is no more cacheable.
  ctx.set('Cache-Control', 'no-store');
  if (typeof family === 'object') {
    logger.info({ status: refusal.status, interactionId: ctx.state.fapiInteractionId, method: ctx.method, path: ctx.path }, 'request.refused');
    return sendProblem(ctx, family.problemTypeBase, refusalProblem(refusal));
  }
  switch (family) {
    case 'oauth':
      return sendOAuthError(ctx, refusal.unknownClient ? new errors.InvalidClientAuth() : new errors.InvalidRequest(refusal.description, refusal.status), logger);
    case 'open-banking':
      return renderObErrors(logger)(ctx, () => Promise.reject(new ObError(refusal.status, refusal.obErrors)));
    case 'browser':
      return renderBrowserErrors(logger)(ctx, () => Promise.reject(new errors.InvalidRequest(refusal.description, refusal.status)));
  }
}

/** A refusal as problem details: the one slug its status has, with the refusal's words. */
export function refusalProblem(refusal: Refusal): Problem {
  const slug = refusal.status === 413 ? 'payload-too-large' : refusal.status === 415 ? 'unsupported-media-type' : 'bad-request';
  return new Problem(refusal.status, slug, refusal.description);
}
