/*
 * The one place that tells a store outage (the database, or the Redis that holds the replay caches
 * when `REDIS_URL` is set, is down, restarting, unreachable, out of connections, or silent past our
 * timeouts) from every other failure. Each error family's renderer asks it, so that an outage
 * answers 503 with Retry-After everywhere, and nothing else does: a bug stays a 500, a client's
 * mistake keeps its 4xx even when a store error is its cause, and the gateway's word on an
 * upstream (502, 504) keeps its status though a refused socket caused it.
 */

/**
 * SQLSTATEs (PostgreSQL manual, appendix A) that mean "not now" rather than "not this": class 08
 * connection exceptions; 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now
 * (starting up, or in recovery); 53300 too_many_connections; 57014 query_canceled, which is what
 * our own `statement_timeout` raises (`defaults.store.statementTimeout`).
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);
const CONNECTION_EXCEPTION_CLASS = '08';

/** Socket errors on the way to the server (Node's `code`s). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * What pg throws, with no code, when a connection dies or goes silent: the socket closed under a
 * query, `connectionTimeoutMillis` or `query_timeout` expired, or a client that already failed was
 * asked again.
 */
const DRIVER_MESSAGES = new Set([
  'Connection terminated',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout expired',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
]);

/**
 * What ioredis throws, with no code, from a client made by `connectFailFastRedis`: not connected
 * (no offline queue), no answer within `commandTimeout`, the connection closed for good or under
 * a transaction. A command in flight when the connection drops fails as `MaxRetriesPerRequestError`.
 */
const REDIS_CLIENT_MESSAGES = new Set([
  'Stream isn\'t writeable and enableOfflineQueue options is false',
  'Command timed out',
  'Connection is closed.',
  'Command aborted due to connection close',
]);

/**
 * Redis's own "not now" answers (the first word of a `ReplyError`): still loading its data after a
 * restart, busy with a script, or, during a failover, a former primary that is a replica now
 * (READONLY) or a replica cut off from its primary (MASTERDOWN).
 */
const REDIS_UNAVAILABLE_REPLIES = new Set(['LOADING', 'BUSY', 'MASTERDOWN', 'READONLY']);

// Causes are followed this deep at most: enough for a driver error wrapped by knex and then by us.
const MAX_CAUSES = 5;

interface Inspectable {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  errors?: unknown;
  cause?: unknown;
}

function isOutageItself(error: Inspectable): boolean {
  // knex gave up waiting for a pooled connection (`acquireConnectionTimeout`).
  if (error.name === 'KnexTimeoutError') return true;
  const { code } = error;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || (code.length === 5 && code.startsWith(CONNECTION_EXCEPTION_CLASS)))) return true;
  if (typeof error.message === 'string' && isDriverMessage(error.message)) return true;
  if (isRedisOutage(error)) return true;
  // Node reports a refused connection to each address of a name (IPv4 and IPv6) together.
  return Array.isArray(error.errors) && error.errors.some((inner) => typeof inner === 'object' && inner !== null && isOutageItself(inner as Inspectable));
}

// knex puts the statement in front of the driver's words: `select 1 - Query read timeout`.
function isDriverMessage(message: string): boolean {
  const separator = message.lastIndexOf(' - ');
  return DRIVER_MESSAGES.has(message) || (separator >= 0 && DRIVER_MESSAGES.has(message.slice(separator + 3)));
}

function isRedisOutage({ name, message }: Inspectable): boolean {
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof message !== 'string') return false;
  if (name === 'ReplyError') return REDIS_UNAVAILABLE_REPLIES.has(message.split(' ', 1)[0]!);
  return REDIS_CLIENT_MESSAGES.has(message);
}

// RFC 9110 §15.6.3, §15.6.5: a 502 or 504 says an upstream failed, so the socket error under it is the upstream's.
const UPSTREAM_STATUSES = new Set([502, 504]);

/** Whose failure it is was decided already: the client's (4xx) or an upstream's (502, 504). */
function isDecidedElsewhere(error: Inspectable): boolean {
  const status = error.statusCode ?? error.status;
  return typeof status === 'number' && ((status >= 400 && status < 500) || UPSTREAM_STATUSES.has(status));
}

/**
 * True when `error` (or what caused it) means the store could not be reached or could not serve
 * now: the caller should answer 503 with `Retry-After`. Never true for an error that already says
 * the client was wrong (a 4xx) or an upstream failed (502, 504), whatever its cause.
 *
 * @example
 * ```ts
 * if (isStoreUnavailable(error)) return answerLater(ctx); // 503, Retry-After
 * ```
 */
export function isStoreUnavailable(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSES && typeof current === 'object' && current !== null; depth += 1) {
    const inspectable = current as Inspectable;
    if (isDecidedElsewhere(inspectable)) return false;
    if (isOutageItself(inspectable)) return true;
    current = inspectable.cause;
  }
  return false;
}
