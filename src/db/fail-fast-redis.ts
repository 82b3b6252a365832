import { Redis } from 'ioredis';

import { coalesceRedisWrites } from './coalesce-redis-writes.ts';

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
 * The commands of one turn of the event loop leave in one socket write (`coalesceRedisWrites`):
 * under load a write per count was most of the limits' cost.
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
// How long connecting may take before the attempt fails, milliseconds.
const CONNECT_TIMEOUT_MS = 1000;

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
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
  coalesceRedisWrites(redis);
  redis.on('error', onError);
  return redis;
}

// Errors that say nothing listens at the address: no use waiting for the next attempt at start-up.
const NOTHING_THERE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Resolves once `redis` is ready, or has failed to connect: refused, or not ready within
 * `waitMs` (default: its connect timeout, a second), or closed for good. Without an offline queue,
 * every command sent before it is ready fails, so a process that starts serving at once would turn
 * its first requests away for nothing. A connection that is made but fails its handshake (seen
 * once: ioredis's `HELLO` found the socket no longer writable) is not the end of the attempt:
 * ioredis connects again within a tenth of a second, and this waits for that.
 */
export async function firstConnectionAttempt(redis: Redis, waitMs = CONNECT_TIMEOUT_MS): Promise<void> {
  if (redis.status === 'ready' || redis.status === 'end' || redis.status === 'wait') return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(deadline);
      redis.off('ready', done).off('end', done).off('error', onError);
      resolve();
    };
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code !== undefined && NOTHING_THERE.has(error.code)) done();
    };
    const deadline = setTimeout(done, waitMs);
    redis.on('ready', done).on('end', done).on('error', onError);
  });
}
