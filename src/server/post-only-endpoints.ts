import type { Middleware } from 'koa';

import { ROUTES } from '../auth/provider/routes.ts';

// RFC 9126 §2, RFC 6749 §3.2, RFC 7662 §2.1, RFC 7009 §2: these endpoints are POST only.
const POST_ONLY = new Set<string>([ROUTES.pushed_authorization_request, ROUTES.token, ROUTES.introspection, ROUTES.revocation]);

/**
 * Answers another method on a POST-only OAuth endpoint with 405 and `Allow: POST` (RFC 9110
 * §15.5.6) in the RFC 6749 error form, where oidc-provider would say 404: the endpoint is there, the
 * method is not.
 */
export const postOnlyEndpoints: Middleware = async function postOnlyEndpoints(ctx, next) {
  if (ctx.method === 'POST' || !POST_ONLY.has(ctx.path)) return next();
  ctx.status = 405;
  ctx.set('Allow', 'POST');
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error: 'invalid_request', error_description: `${ctx.path} accepts POST only` };
};
