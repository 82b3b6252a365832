/**
 * The one source of "now" in the codebase: every service that decides by time (expiry, freshness,
 * the instant an event happened) asks the clock it was given, so that a test can freeze or advance
 * time for all of them at once (as jose's tests do with a fixed clock). Libraries that keep their
 * own time (oidc-provider, jose) and the database's `now()` are outside it, and code that compares
 * against them says so.
 */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Seconds since the epoch, as JWT claims and oidc-provider count them. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now().getTime() / 1000);
}
