import Router from '@koa/router';
import type { Middleware } from 'koa';
import compose from 'koa-compose';

import type { Logger } from '../../../src/observability/logger.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import { Problem } from '../../../src/shared/problem.ts';
import { renderProblems } from '../../../src/shared/problem-response.ts';
import { authenticateGateway, type GatewayTrust, type RefuseCaller } from '../authenticate-gateway.ts';
import { listRatesEndpoint, readRateEndpoint } from './fx-rates.endpoints.ts';

/** Where the exchange rates API lives at the bank core: its gateway upstream is `<bank core URL>/fx`. */
export const FX_PREFIX = '/fx';

export interface FxRouteDeps {
  /** Who may call: the gateway, for the audience `<bank core URL>/fx`. */
  trust: GatewayTrust;
  clock: Clock;
  logger: Logger;
  /** Where the problem types are documented (`<issuer>/docs/problems/`). */
  problemTypeBase: string;
}

const refuseAsProblem: RefuseCaller = (_fault, message, cause) => new Problem(401, 'unauthenticated', message, { cause });

/**
 * Every path of the exchange rates API, under `/fx`, relative to the gateway's base path
 * (`/fx/v1`):
 *
 * | path | method |
 * | --- | --- |
 * | /rates | GET |
 * | /rates/{currency} | GET |
 *
 * A public SaaS-style API, not an Open Banking one: no FAPI headers, and every failure (the
 * gateway's identity missing, bad input, another method, 405 with `Allow`, or another path, 404)
 * is RFC 9457 problem details, as the gateway's public listener answers. Other paths pass through.
 */
export function fxRoutes(deps: FxRouteDeps): Middleware {
  const router = new Router({ prefix: FX_PREFIX });
  router.get('/rates', listRatesEndpoint(deps));
  router.get('/rates/:currency', readRateEndpoint(deps));
  const api = compose([
    renderProblems(deps.logger, deps.problemTypeBase, 'bank_core.fx_error'),
    authenticateGateway(deps.trust, refuseAsProblem),
    router.routes() as Middleware,
    refuseUnrouted,
  ]);
  return async function fxRoutes(ctx, next) {
    if (ctx.path !== FX_PREFIX && !ctx.path.startsWith(`${FX_PREFIX}/`)) return next();
    await api(ctx, next);
  };
}

// Runs when no route answered: a path some route has for other methods is 405, any other 404.
const refuseUnrouted: Middleware = async function refuseUnrouted(ctx) {
  const allowed = [...new Set((ctx.matched ?? []).flatMap((layer: { methods: string[] }) => layer.methods))].join(', ');
  if (!allowed) throw new Problem(404, 'not-found', `${ctx.path} is not a path of the exchange rates API`);
  throw new Problem(405, 'method-not-allowed', `${ctx.method} is not allowed on ${ctx.path}; it allows ${allowed}`, { headers: { Allow: allowed } });
};
