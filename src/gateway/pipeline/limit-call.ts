import type { Context, Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import { setHeaders } from '../../shared/set-headers.ts';
import type { GatewayPlan } from '../catalogue/catalogue.types.ts';
import type { GatewayDeps } from './gateway-deps.ts';

// An API no plan covers (an internal service) is limited by its routes' own limits only.
const NO_PLAN: GatewayPlan = { id: '', name: '', ratePerSecond: null, ratePerMinute: null, quotaPerDay: null, quotaPerMonth: null, selfService: false, priceMinorUnits: null, currency: null, apiIds: [] };

/** Whose counters a call spends: the application's, else the OAuth client's or subject's, else the address's. */
function consumerKey(ctx: Context): string {
  const caller = ctx.state.gateway!.caller!;
  if (caller.applicationId) return caller.applicationId;
  if (caller.clientId) return `client:${caller.clientId}`;
  if (caller.subject) return `subject:${caller.subject}`;
  return `address:${ctx.ip}`;
}

/**
 * Step 4: the caller's plan and the route's own limits. An API that plans cover is open only to
 * applications subscribed to one of them (403 otherwise); rate limits and quotas answer 429 with
 * `Retry-After` and the RateLimit headers, which every admitted response carries too. When the
 * shared counters cannot be reached and the gateway is set to fail closed, 503 with `Retry-After`.
 */
export function limitCall(deps: Pick<GatewayDeps, 'routes' | 'credentials' | 'limits'>): Middleware {
  return async function limitCall(ctx, next) {
    const call = ctx.state.gateway!;
    const api = call.api!;
    const route = call.route!;
    const caller = call.caller!;
    const offered = deps.routes().plansFor(api.id);
    let plan = NO_PLAN;
    if (offered.length) {
      const subscribed = caller.applicationId ? await deps.credentials.subscribedPlanIds(caller.applicationId) : [];
      const chosen = offered.find((candidate) => subscribed.includes(candidate.id));
      if (!chosen) throw new Problem(403, 'forbidden', `This application has no active subscription to a plan that includes ${api.name} ${api.version}`);
      plan = chosen;
      call.plan = chosen;
    }
    const routeLimits = route.policy.limits;
    const limited = plan !== NO_PLAN || routeLimits?.perSecond !== undefined || routeLimits?.perMinute !== undefined;
    if (limited) {
      const outcome = await deps.limits.consume({ applicationId: consumerKey(ctx), plan, routeId: route.id, ...(routeLimits ? { routeLimits } : {}) });
      if (!outcome.admitted) {
        const retryAfter = { 'Retry-After': String(outcome.retryAfterSeconds) };
        if (outcome.reason === 'unavailable') throw new Problem(503, 'unavailable', 'Rate limits cannot be checked just now', { headers: retryAfter });
        const headers = { ...outcome.headers, ...retryAfter };
        throw outcome.reason === 'quota'
          ? new Problem(429, 'quota-exceeded', `The ${plan.name} plan's quota is used up until it renews`, { headers })
          : new Problem(429, 'rate-limited', 'Too many requests; slow down', { headers });
      }
      setHeaders(ctx, outcome.headers);
    }
    await next();
  };
}
