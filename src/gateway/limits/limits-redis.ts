import { Redis } from 'ioredis';

/*
 * The Redis client the limits count in, made to fail fast. Every gateway call counts its limits
 * before going on, so a Redis that is down or silent must cost a call little, not the seconds
 * ioredis would otherwise spend queueing and retrying; the limits then fail open or closed by
 * their setting. Rather than rate-limiter-flexible's insurance limiter (which would hide the
 * failure and count each instance apart), the client itself gives up quickly:
 * - `enableOfflineQueue: false`: while not connected, a command fails at once instead of waiting
 *   in a queue for a reconnection;
 * - `commandTimeout`: a command sent to a Redis that stopped answering fails after this long;
 * - `socketTimeout`: and a connection that stays silent this much longer is dropped, so that the
 *   following calls fail at once (not connected) instead of each waiting for its own timeout, while
 *   ioredis reconnects. It is longer than the command timeout so that a process starved of CPU for
 *   a moment (answers arrive, but are read late) loses a few counts, not its connection;
 * - `maxRetriesPerRequest: 0`: a command in flight when the connection drops fails then, and is
 *   never sent again on the next connection (a count replayed late would count twice);
 * - `retryStrategy`: reconnect soon and often, so that the limits are exact again within a
 *   second of Redis coming back.
 * Auto-pipelining batches the commands of one tick into one socket write: under load that was
 * most of the limits' cost (a write per count).
 */

export interface LimitsRedisOptions {
  /** Told of the connection's errors (refused, reset, timed out); log them. */
  onError: (error: Error) => void;
  /**
   * How long a count may wait for Redis, milliseconds. Default 250: far above a healthy Redis's
   * sub-millisecond answer, and what a call costs at most when Redis goes silent. Raise it only
   * for a Redis far away.
   */
  commandTimeoutMs?: number;
}

// How long a connection may stay silent with commands waiting before it is dropped, milliseconds.
const SILENT_CONNECTION_MS = 2000;

/**
 * Connects to the Redis at `url` (`redis://host:port/db`) for the limits. Its errors go to
 * `onError`, never unhandled (ioredis prints an `error` event nobody listens to, once per
 * reconnection attempt). Hand the client to `createRateLimits`, which closes it.
 */
export function connectLimitsRedis(url: string, { onError, commandTimeoutMs = 250 }: LimitsRedisOptions): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    socketTimeout: Math.max(SILENT_CONNECTION_MS, commandTimeoutMs * 2),
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    // Counts made in the same tick (a call's several windows, concurrent calls) go out in one write.
    enableAutoPipelining: true,
  });
  redis.on('error', onError);
  return redis;
}
