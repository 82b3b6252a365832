import type { Context, Middleware } from 'koa';

import { setHeaders } from '../../shared/set-headers.ts';
import type { GatewayApi } from '../catalogue/catalogue.types.ts';
import type { GatewayDeps } from './gateway-deps.ts';

/*
 * CORS (Fetch standard) per API, for browser clients of the origins its settings list. Credentials
 * travel in headers (API keys, access tokens and their DPoP proofs), never cookies, so credentialed
 * CORS is never allowed. A preflight allows the request headers it asks for, `DPoP` among them.
 */

// WWW-Authenticate: a browser client reads there why its token or DPoP proof was refused (RFC 9449 §7.1).
const EXPOSED = 'RateLimit, RateLimit-Policy, Retry-After, Deprecation, Sunset, Link, WWW-Authenticate, x-fapi-interaction-id';
const PREFLIGHT_MAX_AGE = '600';

function allowedOrigin(ctx: Context, api: GatewayApi | undefined): string | undefined {
  const origin = ctx.get('Origin');
  return origin && api?.settings.corsOrigins?.includes(origin) ? origin : undefined;
}

/**
 * Answers a CORS preflight for a route of an API that allows the origin (204 with what it may
 * send); any other OPTIONS goes on to be routed like any method.
 */
export function answerCorsPreflight(deps: Pick<GatewayDeps, 'routes'>): Middleware {
  return async function answerCorsPreflight(ctx, next) {
    const requested = ctx.get('Access-Control-Request-Method');
    if (ctx.method !== 'OPTIONS' || !requested || !ctx.get('Origin')) return next();
    const matched = deps.routes().match(requested, ctx.path);
    const api = 'found' in matched ? matched.found.api : undefined;
    const origin = allowedOrigin(ctx, api);
    if (!api || !origin || api.lifecycle === 'retired') return next();
    setHeaders(ctx, {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': requested,
      'Access-Control-Allow-Headers': ctx.get('Access-Control-Request-Headers') || '',
      'Access-Control-Max-Age': PREFLIGHT_MAX_AGE,
      Vary: 'Origin',
    });
    ctx.status = 204;
  };
}

/**
 * The CORS response headers of a call to `api` from an origin it allows, set as soon as the call is
 * routed: they stay on every answer that follows, errors included, and are in place before an
 * upstream's answer streams through.
 */
export function allowCorsOrigin(ctx: Context, api: GatewayApi | undefined): void {
  const origin = allowedOrigin(ctx, api);
  if (origin) setHeaders(ctx, { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED, Vary: 'Origin' });
}
