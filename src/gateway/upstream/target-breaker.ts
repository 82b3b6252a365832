import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleType } from 'cockatiel';

/*
 * One circuit breaker per upstream target (cockatiel's consecutive breaker): after
 * `consecutiveFailures` failed calls in a row the target gets no traffic for `halfOpenAfterMs`,
 * then one probe goes through; its success closes the breaker, its failure opens it again.
 *
 * What counts as a failure: an attempt that got no response (`AttemptFailed`: connection refused or
 * reset, connect or headers timeout), and a 502, 503 or 504, by which the upstream or a proxy in
 * front of it says it cannot serve. A 500 does not count: it comes from a live application, often
 * from one route's bug, and should not cut every route of the upstream off. Errors after the
 * response headers (a body timeout) are outside the breaker: the response was already handed on.
 *
 * cockatiel lets every call wait for the probe's outcome while one is under way; a gateway should
 * not hold callers for that, so `execute` refuses at once (`BrokenCircuitError`) unless the breaker
 * is closed or due to half-open. cockatiel keeps time with `Date.now()`, and so does this file.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Failed calls in a row that open the breaker. */
  consecutiveFailures: number;
  /** Milliseconds an open breaker waits before it lets one probe through. */
  halfOpenAfterMs: number;
}

/** An attempt that got no response for the upstream's sake; the breaker counts it as a failure. */
export class AttemptFailed extends Error {
  readonly reason: 'timeout' | 'unreachable';

  constructor(reason: 'timeout' | 'unreachable', cause: unknown) {
    super(`upstream ${reason}`, { cause });
    this.name = 'AttemptFailed';
    this.reason = reason;
  }
}

const FAILING_STATUSES = new Set([502, 503, 504]);

/** What an attempt gives the breaker: at least the status of the answer it got. */
export interface AttemptAnswer {
  status: number;
}

function isFailingResponse(result: unknown): boolean {
  return FAILING_STATUSES.has((result as AttemptAnswer).status);
}

// Isolated (held open by hand) is never used here; it would read as open.
const STATE_NAMES: Readonly<Record<CircuitState, BreakerState>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

export interface TargetBreaker {
  /** Whether a call would go through now: closed, or open for `halfOpenAfterMs` already (it becomes the probe). */
  admits(): boolean;
  /** Seconds until it lets a probe through, rounded up, at least 1 (RFC 9110 §10.2.3 `Retry-After`). */
  retryAfterSeconds(): number;
  /** Runs one attempt through the breaker; throws `BrokenCircuitError` without running it unless `admits()`. */
  execute<T extends AttemptAnswer>(attempt: () => Promise<T>): Promise<T>;
}

export function createTargetBreaker(options: BreakerOptions, onStateChange: (state: BreakerState) => void): TargetBreaker {
  const policy = circuitBreaker(handleType(AttemptFailed).orWhenResult(isFailingResponse), {
    halfOpenAfter: options.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.consecutiveFailures),
  });
  // Read just after cockatiel's own, so this never admits a call cockatiel would refuse.
  let openedAt = 0;
  policy.onStateChange((state) => {
    if (state === CircuitState.Open) openedAt = Date.now();
    onStateChange(STATE_NAMES[state]);
  });
  const msUntilHalfOpen = () => openedAt + options.halfOpenAfterMs - Date.now();

  const admits = () => policy.state === CircuitState.Closed || (policy.state === CircuitState.Open && msUntilHalfOpen() <= 0);
  return {
    admits,
    retryAfterSeconds: () => (policy.state === CircuitState.Open ? Math.max(1, Math.ceil(msUntilHalfOpen() / 1000)) : 1),
    execute(attempt) {
      // Checked in the same tick as cockatiel's own check, so no other call can slip in between.
      if (!admits()) return Promise.reject(new BrokenCircuitError());
      return policy.execute(attempt);
    },
  };
}
