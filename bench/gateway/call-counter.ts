import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

import { connectFailFastRedis, firstConnectionAttempt } from '../../src/db/fail-fast-redis.ts';
import { limitWindow, type LimitPeriod } from '../../src/gateway/limits/limit-window.ts';

/*
 * What side (b') adds to the bare pass-through: each call counted once per window of (d)'s plan,
 * by rate-limiter-flexible, in Redis through a client made as the gateway makes its own (one
 * atomic script per count, the commands of a tick in one write), or in memory with `--limits
 * memory`. Nothing else of the Limit step: no plan, no RateLimit headers, no refunds. It measures
 * what the issue's "exact across instances with Redis" costs a proxy on its own, the part of (d)'s
 * cost that no gateway meeting it can shed.
 */

export interface CallCounter {
  /** Counts one call in every window; rejects when the store fails. */
  count(): Promise<void>;
  close(): void;
}

/** `store`: a Redis URL, or `memory`. */
export async function callCounter(store: string, periods: readonly LimitPeriod[]): Promise<CallCounter> {
  const common = { keyPrefix: 'bench-counted', points: Number.MAX_SAFE_INTEGER, duration: 1 };
  let limiter: RateLimiterAbstract;
  let close = () => {};
  if (store === 'memory') {
    limiter = new RateLimiterMemory(common);
  } else {
    const redis = connectFailFastRedis(store, { onError: (error) => console.error(`# (b') redis: ${error.message}`) });
    await firstConnectionAttempt(redis);
    limiter = new RateLimiterRedis({ ...common, storeClient: redis, rejectIfRedisNotReady: true });
    close = () => redis.disconnect();
  }
  return {
    async count() {
      const now = new Date();
      await Promise.all(periods.map((period) => {
        const window = limitWindow(period, now);
        return limiter.consume(`${period}:${window.id}`, 1, { customDuration: window.keepSeconds });
      }));
    },
    close,
  };
}
