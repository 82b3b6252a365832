import type { Middleware } from 'koa';

import { ROUTES } from '../auth/provider/routes.ts';

const PARTNER_ENDPOINTS = [ROUTES.token, ROUTES.pushed_authorization_request, ROUTES.introspection, ROUTES.revocation, ROUTES.userinfo, ROUTES.jwks];

/**
 * The mutual-TLS listener serves the endpoints advertised as `mtls_endpoint_aliases` (and the
 * JWKS), not the browser's: discovery fetched there would advertise an authorization endpoint on
 * an origin that has no login pages.
 */
export const partnerEndpointsOnly: Middleware = function partnerEndpointsOnly(ctx, next) {
  const allowed = PARTNER_ENDPOINTS.includes(ctx.path as never) || ctx.path === ROUTES.registration || ctx.path.startsWith(`${ROUTES.registration}/`);
  if (!allowed) {
    ctx.status = 404;
    ctx.body = 'Not Found';
    return;
  }
  return next();
};
