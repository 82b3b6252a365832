import type { GatewayPlan, RoutePolicy } from '../catalogue/catalogue.types.ts';
import type { RateLimitHeaders } from './rate-limit-headers.ts';

/** The call to count: whose it is, the plan it is made under, and the route it takes. */
export interface LimitInput {
  applicationId: string;
  plan: Pick<GatewayPlan, 'id' | 'ratePerSecond' | 'ratePerMinute' | 'quotaPerDay' | 'quotaPerMonth'>;
  routeId: string;
  routeLimits?: RoutePolicy['limits'];
}

/**
 * What the Limit step decided. Admitted: go on, and send `headers` with the response. `rate` or
 * `quota`: answer 429 with `headers` (`Retry-After` among them). `unavailable`: the counters could
 * not be reached and the limits fail closed; answer 503 with `Retry-After: retryAfterSeconds`.
 */
export type LimitOutcome =
  | { admitted: true; headers: RateLimitHeaders }
  | { admitted: false; reason: 'rate' | 'quota'; retryAfterSeconds: number; headers: RateLimitHeaders & { 'Retry-After': string } }
  | { admitted: false; reason: 'unavailable'; retryAfterSeconds: number };
