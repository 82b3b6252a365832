import { once } from 'node:events';

import type { Redis } from 'ioredis';

import type { Clock } from '../../shared/clock.ts';
import { limitCounters, type Count } from './limit-counter.store.ts';
import { applicableLimits, type LimitPolicy } from './limit-policies.ts';
import { limitWindow, type LimitWindow } from './limit-window.ts';
import type { LimitInput, LimitOutcome } from './limits.types.ts';
import { rateLimitHeaders, rateLimitPolicy, type ServiceLimit } from './rate-limit-headers.ts';

/*
 * The Limit step of the gateway (issue 11, step 4): a call is admitted only if every limit of its
 * plan and route admits it.
 *
 * All of a call's counters are counted at once (one round trip to Redis), and when any refuses,
 * the call is taken back from every counter it was counted on, the refusing ones included: a
 * refused call uses up nothing, so a client hammering at its per-second limit does not burn its
 * monthly quota with calls it never got. Counting first and taking back after is what keeps the
 * limits exact across instances: a counter only ever holds calls that were admitted or are still
 * being decided, so no call is admitted past a limit, however calls interleave. The price is the
 * other way: for the instant between a refused call's count and its refund, its counters read one
 * higher, and a concurrent call on the edge of a limit may be refused when it would have fit.
 * (Checking every counter before counting any would cost a round trip more, and two calls could
 * both pass the check and then both count, past the limit.) A refund lands on the window the call
 * was counted in, even once that window has ended, so it never gives a new window an extra call.
 *
 * When Redis fails, what it did count stays counted (open) or is taken back (closed). A count that
 * timed out may still have reached Redis; it is reported and left alone, since taking back a count
 * that never landed would give a call away.
 */

/** Seconds a client is told to wait when the limits fail closed: long enough for ioredis to reconnect a few times. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export interface RateLimitsOptions {
  /** Counters in this Redis (exact across instances); in memory, per instance, when absent. Make it with `connectFailFastRedis`; `close()` closes it. */
  redis?: Redis;
  /** Namespaces every counter's key: `<keyPrefix>:<application>:<plan>:<limit>:<window>`. */
  keyPrefix: string;
  /** When Redis fails: `open` admits the call (uncounted where Redis failed), `closed` refuses it as `unavailable`. */
  onRedisFailure: 'open' | 'closed';
  /** Told of every call Redis failed to count (once per call), and of every refund it failed to make. */
  reportRedisFailure?: (error: unknown) => void;
  /** Chooses the windows: a day quota resets at 00:00 UTC by this clock. */
  clock: Clock;
}

export interface RateLimits {
  /**
   * Counts the call against every limit of its plan and route. A store failure is decided by
   * `onRedisFailure`; it rejects only with a `RangeError` for a limit that is not a whole number of calls.
   */
  consume(input: LimitInput): Promise<LimitOutcome>;
  /** Closes the Redis client, if any, without waiting on a Redis that does not answer. */
  close(): Promise<void>;
}

interface Counted {
  policy: LimitPolicy;
  window: LimitWindow;
  key: string;
  count: PromiseSettledResult<Count>;
}

// A client that would queue commands while disconnected, or wait for an answer without a
// deadline, makes every call wait when Redis is down: refused at startup rather than found out then.
function assertFailsFast(redis: Redis): void {
  const { enableOfflineQueue, commandTimeout } = redis.options;
  if (enableOfflineQueue !== false || !(typeof commandTimeout === 'number' && commandTimeout > 0)) {
    throw new RangeError('the limits need a Redis client that fails fast (enableOfflineQueue false, a commandTimeout): make it with connectFailFastRedis');
  }
}

// `RateLimit-Policy` for a plan's policies, made once for as long as the policies (kept while
// their limits are unchanged) and the lengths of their windows (a month's differs from the last)
// stay the same, rather than on every call.
const policyTexts = new WeakMap<readonly LimitPolicy[], { windowSeconds: readonly number[]; text: string | undefined }>();

function policyTextOf(policies: readonly LimitPolicy[], windows: ReadonlyArray<{ window: LimitWindow }>): string | undefined {
  const known = policyTexts.get(policies);
  if (known && known.windowSeconds.every((seconds, index) => seconds === windows[index]!.window.seconds)) return known.text;
  const windowSeconds = windows.map(({ window }) => window.seconds);
  const text = rateLimitPolicy(policies.map((policy, index) => ({ name: policy.name, quota: policy.quota, windowSeconds: windowSeconds[index]! })));
  policyTexts.set(policies, { windowSeconds, text });
  return text;
}

/**
 * The gateway's rate limits and quotas.
 *
 * @example
 * const redis = connectFailFastRedis(url, { onError: (error) => logger.warn({ err: error }, 'limits redis') });
 * const limits = createRateLimits({ redis, keyPrefix: 'limits', onRedisFailure: 'open', reportRedisFailure: countFailure, clock: systemClock });
 * const outcome = await limits.consume({ applicationId, plan, routeId: route.id, routeLimits: route.policy.limits });
 * if (!outcome.admitted) ... // 429 (rate, quota) or 503 (unavailable), with Retry-After
 */
export function createRateLimits(options: RateLimitsOptions): RateLimits {
  if (options.redis) assertFailsFast(options.redis);
  const counters = limitCounters({ ...(options.redis ? { redis: options.redis } : {}), keyPrefix: options.keyPrefix });
  const report = (error: unknown) => options.reportRedisFailure?.(error);

  async function giveBack(counted: readonly Counted[]): Promise<void> {
    const refunds = await Promise.allSettled(counted.map(({ key, window }) => counters.giveBack(key, window.keepSeconds)));
    for (const refund of refunds) if (refund.status === 'rejected') report(refund.reason);
  }

  return {
    async consume({ applicationId, plan, routeId, routeLimits }) {
      const policies = applicableLimits(plan, routeId, routeLimits);
      if (policies.length === 0) return { admitted: true, headers: {} };
      const now = options.clock.now();
      const windows = policies.map((policy) => {
        const window = limitWindow(policy.period, now);
        return { policy, window, key: `${applicationId}:${plan.id}:${policy.counter}:${window.id}` };
      });
      const settled = await Promise.allSettled(windows.map(({ key, policy, window }) => counters.take(key, policy.quota, window.keepSeconds)));
      const counted: Counted[] = windows.map((entry, index) => ({ ...entry, count: settled[index]! }));

      const answered = counted.filter((entry): entry is Counted & { count: PromiseFulfilledResult<Count> } => entry.count.status === 'fulfilled');
      const refusing = answered.filter((entry) => !entry.count.value.within);
      const failure = counted.find((entry): entry is Counted & { count: PromiseRejectedResult } => entry.count.status === 'rejected');
      if (failure) report(failure.count.reason);
      const policy = policyTextOf(policies, windows);

      if (refusing.length > 0) {
        await giveBack(answered);
        // Given back, every counter holds one call fewer than it told: the refusing ones are still at their limit.
        const limits: ServiceLimit[] = answered.map(({ policy, window, count }) => ({ name: policy.name, remaining: Math.max(0, policy.quota - count.value.consumed + 1), resetSeconds: window.resetSeconds }));
        // Windows nest, so the longest refusing window is the one the client must wait out.
        const retryAfterSeconds = Math.max(...refusing.map(({ window }) => window.resetSeconds));
        return {
          admitted: false,
          reason: refusing.some(({ policy }) => policy.kind === 'quota') ? 'quota' : 'rate',
          retryAfterSeconds,
          headers: { ...rateLimitHeaders(policy, limits), 'Retry-After': String(retryAfterSeconds) },
        };
      }
      if (failure && options.onRedisFailure === 'closed') {
        await giveBack(answered);
        return { admitted: false, reason: 'unavailable', retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS };
      }
      const limits: ServiceLimit[] = answered.map(({ policy, window, count }) => ({ name: policy.name, remaining: Math.max(0, policy.quota - count.value.consumed), resetSeconds: window.resetSeconds }));
      return { admitted: true, headers: rateLimitHeaders(policy, limits) };
    },
    async close() {
      const { redis } = options;
      if (!redis || redis.status === 'end') return;
      const ended = once(redis, 'end');
      // Not QUIT, which waits for an answer a dead Redis never gives; called once the gateway has drained.
      redis.disconnect();
      await ended;
    },
  };
}
