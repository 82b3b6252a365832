/*
 * The RateLimit header fields of draft-ietf-httpapi-ratelimit-headers (revisions -08 to -11):
 * `RateLimit-Policy` lists every policy the call is held to (§3: a List of Strings with `q`, the
 * quota, and `w`, the window in seconds), and `RateLimit` gives the service limit of one of them
 * (§4: `r`, the remaining quota, and `t`, seconds until more is available). Both are Structured
 * Fields (RFC 9651) and serialized as §4.1 of that RFC says: members joined by a comma and a
 * space, parameters as `;key=value`, strings in double quotes.
 */

/** A policy as `RateLimit-Policy` describes it. */
export interface PolicyField {
  name: string;
  /** Calls allowed per window (`q`). */
  quota: number;
  /** The window, seconds (`w`). */
  windowSeconds: number;
}

/** Where one policy stands after this call, as `RateLimit` tells it. */
export interface ServiceLimit {
  name: string;
  /** Calls still allowed in the current window (`r`). */
  remaining: number;
  /** Seconds until the window ends and the quota is available again (`t`). */
  resetSeconds: number;
}

export type RateLimitHeaders = Partial<Record<'RateLimit-Policy' | 'RateLimit', string>>;

// RFC 9651 §4.1.6: a String is printable ASCII in double quotes, with `"` and `\` escaped.
function sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new RangeError(`a policy name must be printable ASCII: ${JSON.stringify(value)}`);
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

// RFC 9651 §4.1.4: an Integer has at most 15 digits; the draft wants these non-negative.
function sfInteger(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || value > 999_999_999_999_999) throw new RangeError(`a RateLimit parameter must be a whole number, 0 or more: ${value}`);
  return String(value);
}

/**
 * The one service limit `RateLimit` gives: the policy closest to running out (least remaining),
 * and among those equally close the one that frees up last, so that a client waiting for `t`
 * never waits too little.
 */
function closestToRunningOut(limits: readonly ServiceLimit[]): ServiceLimit | undefined {
  let closest: ServiceLimit | undefined;
  for (const limit of limits) {
    if (!closest || limit.remaining < closest.remaining || (limit.remaining === closest.remaining && limit.resetSeconds > closest.resetSeconds)) closest = limit;
  }
  return closest;
}

/**
 * `RateLimit-Policy`'s value for `policies`; undefined when there are none. A caller that keeps
 * its policies can keep this text with them.
 */
export function rateLimitPolicy(policies: readonly PolicyField[]): string | undefined {
  if (policies.length === 0) return undefined;
  return policies.map((policy) => `${sfString(policy.name)};q=${sfInteger(policy.quota)};w=${sfInteger(policy.windowSeconds)}`).join(', ');
}

/**
 * The RateLimit header fields for a call held to the policies `policy` tells (`rateLimitPolicy`),
 * of which `limits` were counted. No policy, no field; no limit counted (its store did not
 * answer), no `RateLimit`.
 *
 * @example
 * rateLimitHeaders(
 *   rateLimitPolicy([{ name: 'per-minute', quota: 50, windowSeconds: 60 }, { name: 'per-day', quota: 1000, windowSeconds: 86400 }]),
 *   [{ name: 'per-minute', remaining: 0, resetSeconds: 12 }, { name: 'per-day', remaining: 950, resetSeconds: 3012 }],
 * )
 * // { 'RateLimit-Policy': '"per-minute";q=50;w=60, "per-day";q=1000;w=86400', RateLimit: '"per-minute";r=0;t=12' }
 */
export function rateLimitHeaders(policy: string | undefined, limits: readonly ServiceLimit[]): RateLimitHeaders {
  const headers: RateLimitHeaders = {};
  if (policy !== undefined) headers['RateLimit-Policy'] = policy;
  const closest = closestToRunningOut(limits);
  if (closest) headers.RateLimit = `${sfString(closest.name)};r=${sfInteger(closest.remaining)};t=${sfInteger(closest.resetSeconds)}`;
  return headers;
}
