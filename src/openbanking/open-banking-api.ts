import Router from '@koa/router';
import type { Middleware } from 'koa';
import compose from 'koa-compose';

import type { Logger } from '../observability/logger.ts';
import { checkFapiHeaders } from './http/check-fapi-headers.ts';
import { requireJsonAccept } from './http/require-json-accept.ts';
import { ObError } from './ob-error.ts';
import { renderObErrors } from './ob-error-response.ts';

/** The path every Open Banking API lives under (Read/Write API v3.1: `/open-banking/v3.1/...`). */
export const OPEN_BANKING_PREFIX = '/open-banking/';

/** Adds one API's routes (the consent API, the gateway's resource APIs) to the shared route table. */
export type ObRoutes = (router: Router) => void;

/**
 * The one route table of `/open-banking/` on the partner listener. Every API registers its routes
 * in it, so that the table, not any one API, decides what is missing: a path no API has is 404,
 * a method a path lacks is 405 with `Allow`, both in OBErrorResponse1, after every API had its
 * chance (RFC 9110 §15.5.5-6; the Read/Write API answers endpoints a bank has not implemented with
 * 404); what the route table does not have goes to the gateway's catalogue. Every answer is JSON (an `Accept` that rules it out gets 406), FAPI headers are checked,
 * and every failure is rendered in the Open Banking form. Other paths pass through.
 */
export function openBankingApi(logger: Logger, apis: readonly ObRoutes[], options: { unrouted?: Middleware } = {}): Middleware {
  const router = new Router();
  for (const addRoutes of apis) addRoutes(router);
  const table = compose([router.routes() as Middleware, refuseOtherMethods, router.allowedMethods() as Middleware, notImplemented(options.unrouted)]);
  const api = compose([renderObErrors(logger), requireJsonAccept, checkFapiHeaders, routeOrPassOn(router, table, options.unrouted)]);
  return function openBankingApi(ctx, next) {
    if (!ctx.path.startsWith(OPEN_BANKING_PREFIX)) return next();
    return api(ctx, next);
  };
}

/**
 * A path none of the table's routes has, whatever the method, goes straight to `unrouted`: the
 * table would only pass it on, after two steps that wait on it to look at a 405 it cannot give.
 * Every call of a gateway resource API is such a path.
 */
function routeOrPassOn(router: Router, table: Middleware, unrouted: Middleware | undefined): Middleware {
  return function routeOrPassOn(ctx, next) {
    if (unrouted && router.match(ctx.path, ctx.method).path.length === 0) return unrouted(ctx, next);
    return table(ctx, next);
  };
}

/**
 * @koa/router sets `Allow` on a 405 only when it answers itself; this turns its answer into an OB
 * error that keeps the header. Runs between a router's `routes()` and its `allowedMethods()`.
 */
export const refuseOtherMethods: Middleware = async function refuseOtherMethods(ctx, next) {
  await next();
  if (ctx.status !== 405) return;
  const allow = ctx.response.get('Allow');
  throw new ObError(405, [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: `${ctx.method} is not allowed on ${ctx.path}; it allows ${allow}` }], { headers: { Allow: allow } });
};

// Runs when no route handled the request. A path known for other methods is left to
// allowedMethods, which marks it 405 once this returns; any other path goes to `unrouted` (the
// gateway's catalogue of resource APIs), or else is no API's.
function notImplemented(unrouted: Middleware | undefined): Middleware {
  return async function notImplemented(ctx, next) {
    if (ctx.matched?.length) return;
    if (unrouted) return unrouted(ctx, next);
    throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: `${ctx.method} ${ctx.path} is not an endpoint of this bank` }]);
  };
}
