import type { Knex } from 'knex';

/*
 * Expiry is computed and checked with the database clock (`now()`), never the app's, so every
 * process sharing the store agrees on when a row dies, and the sweeper and `find` draw the same
 * line: a row is live while `expires_at > now()`.
 */

/** SQL predicate true for rows that have not expired; rows without an expiry live forever. */
export const LIVE_ROW = '(expires_at is null or expires_at > now())';

/**
 * The `expires_at` value for a row written now that should live `expiresIn` seconds.
 *
 * Only an absent `expiresIn` means "no expiry" (oidc-provider passes none for clients). Zero or a
 * negative number means already expired: `Session#persist()` passes `exp - now`, which is 0 for a
 * session at its end, and treating that as "forever" would keep it alive.
 */
export function expiresAtFor(db: Knex, expiresIn: number | undefined): Knex.Raw | null {
  return expiresIn === undefined ? null : db.raw('now() + make_interval(secs => ?)', [expiresIn]);
}
