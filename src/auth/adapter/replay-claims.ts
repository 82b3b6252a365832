/*
 * What a process remembers between the two calls of oidc-provider's `ReplayDetection.unique()`:
 * `find` claimed an id in the store until some moment, and `upsert` comes a moment later asking
 * for the id to be kept `expiresIn` seconds. When the claim already lasts that long, the upsert
 * has nothing to write.
 *
 * The deadline is taken on this process's monotonic clock *before* the claim is sent, while the
 * store computes the row's expiry from its own `now()` once the statement runs, which is later:
 * so the remembered deadline is never after the row's real expiry, and a jti judged covered here
 * stays blocked at least as long as oidc-provider asked. Wall-clock steps cannot move it.
 *
 * Entries live from `find` to `upsert`, normally milliseconds. The map is bounded all the same,
 * for claims whose upsert never comes (a request that failed in between): past `maxPending` the
 * oldest is dropped, and should its upsert come after all, it writes as if unclaimed, which is
 * only slower.
 */

export interface ReplayClaimsOptions {
  /** How long `find` claims an id for, seconds. */
  seconds: number;
  /** Claims awaiting their upsert that are remembered at once. */
  maxPending: number;
  /** Milliseconds on a monotonic clock; `performance.now` unless a test freezes time. */
  now?: () => number;
}

/** Pending replay claims of one adapter, by id. */
export class ReplayClaims {
  readonly seconds: number;
  readonly #maxPending: number;
  readonly #now: () => number;
  readonly #deadlines = new Map<string, number>();

  constructor({ seconds, maxPending, now = () => performance.now() }: ReplayClaimsOptions) {
    this.seconds = seconds;
    this.#maxPending = maxPending;
    this.#now = now;
  }

  /** The deadline of a claim about to be sent; call it before sending. */
  deadlineOfClaimSentNow(): number {
    return this.#now() + this.seconds * 1000;
  }

  /** Records that the claim on `id` sent at `deadlineOfClaimSentNow()` time succeeded. */
  remember(id: string, deadline: number): void {
    if (this.#deadlines.size >= this.#maxPending) this.#deadlines.delete(this.#deadlines.keys().next().value!);
    this.#deadlines.set(id, deadline);
  }

  /**
   * True when this process's claim on `id` keeps it at least `expiresIn` seconds from now; an
   * absent `expiresIn` (forever) is never covered. Forgets the claim either way: each claim
   * answers one upsert.
   */
  covers(id: string, expiresIn: number | undefined): boolean {
    const deadline = this.#deadlines.get(id);
    if (deadline === undefined) return false;
    this.#deadlines.delete(id);
    return expiresIn !== undefined && this.#now() + expiresIn * 1000 <= deadline;
  }

  /** Drops the claim on `id`, so that the next upsert of it writes. */
  forget(id: string): void {
    this.#deadlines.delete(id);
  }
}
