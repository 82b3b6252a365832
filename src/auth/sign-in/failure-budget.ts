import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';
import { RateLimiterRes } from 'rate-limiter-flexible';

import { loginAttemptCounter } from './login-attempt.store.ts';
import { countReservations, deleteReservation, insertReservation } from './login-reservation.store.ts';

/** How many wrong answers one username or address may send, and for how long it is then refused. */
export interface ThrottleLimit {
  /** Wrong answers allowed within one window. */
  maxFailures: number;
  /** The window, seconds, counted from the first wrong answer in it. */
  windowSeconds: number;
  /** How long the attempt after the last allowed failure blocks the key, seconds. */
  blockSeconds: number;
}

/** A place held by one check in flight, until it says how the check went. */
export interface Place {
  /** The answer was wrong: it is recorded as a failure, then the place is given back. */
  failed(): Promise<void>;
  /** The answer was right (or never judged): the place is given back, nothing is recorded. */
  release(): Promise<void>;
}

/** One limit's answer to a check that wants to start. */
export type Admission =
  | { outcome: 'admitted'; place: Place }
  /** Real failures used the budget up: the key is blocked (from now, if this attempt blocked it). */
  | { outcome: 'blocked'; msBeforeNext: number }
  /** Only checks in flight stand in the way: their answers may free the budget in a moment. */
  | { outcome: 'busy' };

/** One limit (per username, or per address) over its keys. */
export interface FailureBudget {
  admit(key: string): Promise<Admission>;
  /** Clears the key's failures: its owner completed a sign-in. */
  forget(key: string): Promise<void>;
}

// A place is held this long at most: far longer than a password check takes on a loaded machine,
// short enough that the places of a process that died mid-check come back soon.
const PLACE_LIFETIME_MS = 30_000;

/**
 * One limit of the login throttle, keeping apart what the old single counter mixed up: the wrong
 * answers recorded in the window (a rate-limiter-flexible counter, which also keeps the block) and
 * the checks in flight now (one expiring row each). A check is admitted while recorded failures
 * plus checks in flight stay within `maxFailures`, so no burst, however it interleaves across
 * instances, gets more answers checked than could all be wrong without passing the limit; yet
 * right answers never count as failures, so many at once never block anyone. Throws a
 * `RangeError` naming the option when a limit is not a positive integer.
 */
export function failureBudget(db: Knex, name: string, limit: ThrottleLimit): FailureBudget {
  for (const [option, value] of Object.entries(limit)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`loginThrottle.${name}.${option} must be a positive integer`);
  }
  const failures = loginAttemptCounter(db, name, { points: limit.maxFailures, duration: limit.windowSeconds, blockDuration: limit.blockSeconds });
  const placesOf = (key: string) => `reserved:${name}:${key}:`;

  // The attempt after the last allowed failure: the library blocks the key on the point past its
  // limit (and never extends a block already running), then rejects with the time left.
  async function block(key: string): Promise<Admission> {
    try {
      await failures.consume(key);
    } catch (outcome) {
      // The library rejects with its result when over the limit, and with an Error when the store fails.
      if (outcome instanceof RateLimiterRes) return { outcome: 'blocked', msBeforeNext: outcome.msBeforeNext };
      throw outcome;
    }
    // The window ran out since the failures were read: there is nothing to block. Take the
    // point back; the attempt tries again.
    await failures.reward(key);
    return { outcome: 'busy' };
  }

  return {
    async admit(key) {
      const place = `${placesOf(key)}${randomUUID()}`;
      // Machine time, not the shared clock: rate-limiter-flexible counts failures by Date.now(),
      // and a place must expire on the same time line as the failures it is weighed against.
      await insertReservation(db, place, Date.now() + PLACE_LIFETIME_MS);
      // Read only once the place is written (and committed): of two checks that overlap, the one
      // that reads later counts the other, so together they can never overshoot.
      const [inFlight, recorded] = await Promise.all([countReservations(db, placesOf(key), Date.now()), failures.get(key)]);
      const failed = recorded?.consumedPoints ?? 0;
      if (failed + inFlight <= limit.maxFailures) {
        return {
          outcome: 'admitted',
          place: {
            async failed() {
              // The failure first, then the place: in between, the answer counts twice, never zero times.
              await failures.penalty(key);
              await deleteReservation(db, place);
            },
            release: () => deleteReservation(db, place),
          },
        };
      }
      await deleteReservation(db, place);
      return failed >= limit.maxFailures ? block(key) : { outcome: 'busy' };
    },
    async forget(key) {
      await failures.delete(key);
    },
  };
}
