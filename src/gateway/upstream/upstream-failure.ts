/*
 * Which errors from undici are the upstream's doing (the breaker counts them and an idempotent
 * call may go to another target) and which are ours. undici, Node's sockets, DNS and TLS all give
 * their errors a string `code`; those not listed as ours mean no HTTP response came from the
 * upstream: refused, reset or closed connections, unknown hosts, certificates that do not verify,
 * bytes that are not HTTP. An error without a code is a bug here and is left alone.
 */

// Bad arguments, a client being closed, an aborted call, a request body that lied about its length.
const OURS = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_ABORT',
  'UND_ERR_ABORTED',
  'ABORT_ERR',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
]);

const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'ETIMEDOUT']);

/** `timeout` or `unreachable` when `error` says the upstream gave no response; undefined when the fault is ours. */
export function upstreamFailureReason(error: unknown): 'timeout' | 'unreachable' | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || OURS.has(code)) return undefined;
  return TIMEOUTS.has(code) ? 'timeout' : 'unreachable';
}
