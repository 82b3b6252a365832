/*
 * Expiry is computed and checked with the database clock (`now()`), never the app's, so every
 * process sharing the store agrees on when a row dies, and the sweeper and `find` draw the same
 * line: a row is live while `expires_at > now()`.
 */

/** SQL predicate true for rows that have not expired; rows without an expiry live forever. */
export const LIVE_ROW = '(expires_at is null or expires_at > now())';

/**
 * SQL for the `expires_at` of a row written now that should live the number of seconds bound to
 * `placeholder` (e.g. `$3`).
 *
 * Only a null there means "no expiry" (oidc-provider passes no `expiresIn` for clients). Zero or a
 * negative number means already expired: `Session#persist()` passes `exp - now`, which is 0 for a
 * session at its end, and treating that as "forever" would keep it alive.
 */
export function expiresAtSql(placeholder: string): string {
  return `now() + make_interval(secs => ${placeholder})`;
}
