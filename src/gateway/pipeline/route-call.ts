import type { Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import { setHeaders } from '../../shared/set-headers.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { allowCorsOrigin } from './cors.ts';
import { lifecycleHeaders } from './lifecycle-headers.ts';

/**
 * Step 1: the API and route of the call. An unknown path (or a draft API's) is 404, a known path
 * with another method 405 with `Allow`, a retired API 410; a deprecated API's responses all carry
 * its Deprecation, Sunset and successor, errors included, and an answer to an origin the API
 * allows its CORS headers.
 */
export function routeCall(deps: Pick<GatewayDeps, 'routes' | 'publicBaseUrl'>): Middleware {
  return function routeCall(ctx, next) {
    const table = deps.routes();
    const matched = table.match(ctx.method, ctx.path);
    const call = ctx.state.gateway!;
    if ('notFound' in matched) {
      call.api = matched.notFound.api;
      allowCorsOrigin(ctx, call.api);
      throw new Problem(404, 'not-found', `${ctx.method} ${ctx.path} is not a route of any published API`);
    }
    const api = 'found' in matched ? matched.found.api : matched.methodNotAllowed.api;
    call.api = api;
    allowCorsOrigin(ctx, api);
    if (api.lifecycle === 'retired') {
      throw new Problem(410, 'gone', `${api.name} ${api.version} was retired${api.sunsetAt ? ` on ${api.sunsetAt.toISOString().slice(0, 10)}` : ''}`);
    }
    setHeaders(ctx, lifecycleHeaders(api, api.successorApiId ? table.api(api.successorApiId) : undefined, deps.publicBaseUrl));
    if ('methodNotAllowed' in matched) {
      const allow = matched.methodNotAllowed.allow.join(', ');
      throw new Problem(405, 'method-not-allowed', `${ctx.method} is not allowed here; it allows ${allow}`, { headers: { Allow: allow } });
    }
    call.route = matched.found.route;
    call.params = matched.found.params;
    call.upstreamPath = matched.found.upstreamPath;
    return next();
  };
}
