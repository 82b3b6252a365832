/*
 * What the gateway answers when it could not get a response from an API's upstream. The upstream
 * client throws it; the pipeline renders it in the API's own error format (OBErrorResponse1 or
 * RFC 9457), with `Retry-After` when `retryAfterSeconds` is set. Only the reason is for the
 * caller; which target failed and why stays in `target`, `cause` and the log.
 */

/**
 * - `breaker_open`: every target's circuit breaker is open, so nothing was sent (503);
 * - `timeout`: a target took longer than the connect or headers timeout (504);
 * - `unreachable`: a target refused or dropped the connection, or answered with something that is
 *   not HTTP (502).
 */
export type UpstreamUnavailableReason = 'breaker_open' | 'timeout' | 'unreachable';

const STATUS_OF: Readonly<Record<UpstreamUnavailableReason, 502 | 503 | 504>> = {
  breaker_open: 503,
  timeout: 504,
  unreachable: 502,
};

export class UpstreamUnavailable extends Error {
  readonly reason: UpstreamUnavailableReason;
  /** 503 (RFC 9110 §15.6.4) while breakers are open, 504 on a timeout, 502 otherwise. */
  readonly status: 502 | 503 | 504;
  /**
   * Seconds until the breaker lets a probe through (rounded up, at least 1): always set for
   * `breaker_open`, and for a failure that left its target's breaker open.
   */
  readonly retryAfterSeconds: number | undefined;
  /** The upstream URL that failed last, or whose breaker half-opens soonest. */
  readonly target: string;
  /** 5xx: nothing but the status and reason is meant for the caller. */
  readonly expose = false;

  constructor(reason: UpstreamUnavailableReason, target: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(`upstream ${reason.replace('_', ' ')}`, { cause: options.cause });
    this.name = 'UpstreamUnavailable';
    this.reason = reason;
    this.status = STATUS_OF[reason];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.target = target;
  }
}
