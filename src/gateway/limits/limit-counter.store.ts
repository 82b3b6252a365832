import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

/*
 * The counters behind the limits, kept by rate-limiter-flexible: in Redis (one atomic script per
 * count, so instances sharing a Redis share exact counts) or in this process's memory. Each window
 * is a key of its own (see limit-window.ts), so the library only counts and expires keys; where a
 * window ends is decided before it is called.
 *
 * One limiter counts every limit, and the caller compares the count with the limit: the library
 * fixes a limiter's limit when it is made, while plans differ and a plan's limit may change in the
 * middle of a window. A counter is a count of calls, whatever it is held to; a new limit applies
 * to the calls already counted, in memory as in Redis.
 */

/** How a count went: `within` when the counter, this call included, is still within its limit. */
export interface Count {
  within: boolean;
  /** Calls the counter holds now, this one included. */
  consumed: number;
}

export interface LimitCounters {
  /** Counts one call on `key`, whose window must be kept `keepSeconds`. Rejects when the store fails. */
  take(key: string, limit: number, keepSeconds: number): Promise<Count>;
  /** Takes back a call counted on `key`. Rejects when the store fails. */
  giveBack(key: string, keepSeconds: number): Promise<void>;
}

// Node's timers wait at most 2^31 - 1 ms (24.8 days), and the memory limiter drops each key with a
// timer: one set longer fires at once (Node warns and waits 1 ms), which would wipe a month's
// count as soon as it is made. Memory counters meant to live longer are kept without a timer and
// dropped here once their time is over.
const LONGEST_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * Counters under `keyPrefix`, in `redis` when given, in memory otherwise. No insurance limiter:
 * when Redis fails, the caller must know (to report it, and to fail open or closed by its setting)
 * rather than have the library quietly count in memory, per instance, a limit meant for all.
 */
export function limitCounters(options: { redis?: Redis; keyPrefix: string }): LimitCounters {
  // The library's own limit is never reached: the caller decides (above). Its duration is given per
  // call, so the one here is never used. rejectIfRedisNotReady: while the client is not connected,
  // fail at once, whatever the client's own queueing options.
  const common = { keyPrefix: options.keyPrefix, points: Number.MAX_SAFE_INTEGER, duration: 1 };
  const limiter = options.redis ? new RateLimiterRedis({ ...common, storeClient: options.redis, rejectIfRedisNotReady: true }) : new RateLimiterMemory(common);

  const untimed = new Map<string, number>();
  function durationOf(key: string, keepSeconds: number): number {
    if (options.redis || keepSeconds <= LONGEST_TIMER_SECONDS) return keepSeconds;
    if (!untimed.has(key)) {
      // A new long window: the first count in it drops the counters of windows that are over.
      // Machine time, like the limiter's own expiry of the other keys.
      for (const [old, until] of untimed) {
        if (until > Date.now()) continue;
        untimed.delete(old);
        void limiter.delete(old);
      }
      untimed.set(key, Date.now() + keepSeconds * 1000);
    }
    // 0: the library keeps the key with no expiry, and no timer.
    return 0;
  }

  return {
    async take(key, limit, keepSeconds) {
      const counted = await limiter.consume(key, 1, { customDuration: durationOf(key, keepSeconds) });
      return { within: counted.consumedPoints <= limit, consumed: counted.consumedPoints };
    },
    async giveBack(key, keepSeconds) {
      await limiter.reward(key, 1, { customDuration: durationOf(key, keepSeconds) });
    },
  };
}
