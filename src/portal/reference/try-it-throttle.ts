import type { Knex } from 'knex';
import { RateLimiterRes } from 'rate-limiter-flexible';

import { loginAttemptCounter } from '../../auth/sign-in/login-attempt.store.ts';
import { PortalPageError } from '../portal-page-error.ts';

/*
 * "Try it" makes the portal call the gateway for the developer, so each developer's calls are
 * limited, whichever application's key they paste: the gateway's own limits count per
 * application, and would not stop one developer from keeping the portal busy. Counted in the
 * store, like sign-in attempts, so that every instance counts together.
 */

/** Calls a developer may try in a minute: a person reading answers makes a few. */
export const TRY_IT_CALLS_PER_MINUTE = 20;

export type TryItThrottle = (developerId: string) => Promise<void>;

/** Counts a try by the developer; past the limit, a 429 page with `Retry-After`. */
export function tryItThrottle(db: Knex): TryItThrottle {
  const counter = loginAttemptCounter(db, 'portal-try-it', { points: TRY_IT_CALLS_PER_MINUTE, duration: 60, blockDuration: 0 });
  return async function admitTryIt(developerId) {
    const refusal = await counter.consume(developerId).then(() => undefined, (error: unknown) => {
      if (error instanceof RateLimiterRes) return error;
      throw error;
    });
    if (refusal) {
      const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw new PortalPageError(429, `You have tried ${TRY_IT_CALLS_PER_MINUTE} calls in a minute. Wait ${seconds} seconds, then send it again.`, { 'Retry-After': String(seconds) });
    }
  };
}
