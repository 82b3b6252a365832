import { once } from 'node:events';

import { Redis } from 'ioredis';

/*
 * The Redis client of the parts that ask Redis on a request's path: the gateway's limits (a count
 * per call) and the replay caches (a claim per client assertion and DPoP proof). A Redis that is
 * down or silent must cost a request little, not the seconds ioredis would otherwise spend
 * queueing and retrying; each part then decides what a failure means (the limits fail open or
 * closed by their setting; a replay check cannot be skipped, so the request is answered 503).
 * Rather than an insurance fallback that would hide the failure, the client itself gives up quickly:
 * - `enableOfflineQueue: false`: while not connected, a command fails at once instead of waiting
 *   in a queue for a reconnection;
 * - `commandTimeout`: a command sent to a Redis that stopped answering fails after this long;
 * - `socketTimeout`: and a connection that stays silent this much longer is dropped, so that the
 *   following calls fail at once (not connected) instead of each waiting for its own timeout, while
 *   ioredis reconnects. It is longer than the command timeout so that a process starved of CPU for
 *   a moment (answers arrive, but are read late) loses a few commands, not its connection;
 * - `maxRetriesPerRequest: 0`: a command in flight when the connection drops fails then, and is
 *   never sent again on the next connection (a count replayed late would count twice);
 * - `retryStrategy`: reconnect soon and often, so that Redis serves again within a second of
 *   coming back.
 * Auto-pipelining batches the commands of one tick into one socket write: under load that was
 * most of the limits' cost (a write per count).
 */

export interface FailFastRedisOptions {
  /** Told of the connection's errors (refused, reset, timed out); log them. */
  onError: (error: Error) => void;
  /**
   * How long a command may wait for Redis, milliseconds. Default 250: far above a healthy Redis's
   * sub-millisecond answer, and what a request costs at most when Redis goes silent. Raise it only
   * for a Redis far away.
   */
  commandTimeoutMs?: number;
}

// How long a connection may stay silent with commands waiting before it is dropped, milliseconds.
const SILENT_CONNECTION_MS = 2000;

/**
 * Connects to the Redis at `url` (`redis://host:port/db`). Its errors go to `onError`, never
 * unhandled (ioredis prints an `error` event nobody listens to, once per reconnection attempt).
 * The caller closes it with `disconnect()`.
 */
export function connectFailFastRedis(url: string, { onError, commandTimeoutMs = 250 }: FailFastRedisOptions): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    socketTimeout: Math.max(SILENT_CONNECTION_MS, commandTimeoutMs * 2),
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    // Commands made in the same tick (a call's several windows, concurrent requests) go out in one write.
    enableAutoPipelining: true,
  });
  redis.on('error', onError);
  return redis;
}

/**
 * Resolves once `redis`'s first connection attempt has ended, made or failed (within its connect
 * timeout, a second): without an offline queue, every command sent before it is made fails, so a
 * process that starts serving at once would turn its first requests away for nothing.
 */
export async function firstConnectionAttempt(redis: Redis): Promise<void> {
  if (redis.status !== 'connecting' && redis.status !== 'connect') return;
  const ended = new AbortController();
  await Promise.race([once(redis, 'ready', ended), once(redis, 'error', ended), once(redis, 'end', ended)]).catch(() => {});
  ended.abort();
}
