import { Redis } from 'ioredis';

/*
 * The Redis client the limits count in, made to fail fast. Every gateway call counts its limits
 * before going on, so a Redis that is down or silent must cost a call a few milliseconds, not the
 * seconds ioredis would otherwise spend queueing and retrying; the limits then fail open or closed
 * by their setting. Rather than rate-limiter-flexible's insurance limiter (which would hide the
 * failure and count each instance apart), the client itself gives up quickly:
 * - `enableOfflineQueue: false`: while not connected, a command fails at once instead of waiting
 *   in a queue for a reconnection;
 * - `commandTimeout`: a command sent to a Redis that stopped answering fails after this long;
 * - `socketTimeout`: and the silent connection is dropped, so that the following calls fail at
 *   once (not connected) instead of each waiting for its own timeout, while ioredis reconnects;
 * - `maxRetriesPerRequest: 0`: a command in flight when the connection drops fails then, and is
 *   never sent again on the next connection (a count replayed late would count twice);
 * - `retryStrategy`: reconnect soon and often, so that the limits are exact again within a
 *   second of Redis coming back.
 */

/** How long a count may wait for Redis, milliseconds: far above a healthy Redis's sub-millisecond answer. */
export const LIMITS_REDIS_TIMEOUT_MS = 200;

/**
 * Connects to the Redis at `url` (`redis://host:port/db`) for the limits. Errors of the connection
 * (refused, reset, timed out) go to `onError`, never unhandled: an ioredis `error` event without a
 * listener is a line on stderr per reconnection attempt. Hand the client to `createRateLimits`,
 * which closes it.
 */
export function connectLimitsRedis(url: string, onError: (error: Error) => void): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: LIMITS_REDIS_TIMEOUT_MS,
    socketTimeout: LIMITS_REDIS_TIMEOUT_MS,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
  redis.on('error', onError);
  return redis;
}
