import type { Knex } from 'knex';

/*
 * Expired rows are dead to the adapters the moment `expires_at` passes (they filter in SQL); this
 * only reclaims the space. Consumed authorization codes and refresh tokens are not special: they
 * stay until they expire, because oidc-provider needs them to detect reuse (RFC 6749 §4.1.2).
 *
 * Deleting in small batches of rows locked with SKIP LOCKED keeps every statement short, takes no
 * table lock, never waits on a row the token endpoint is writing, and lets several processes sweep
 * at once without blocking each other. `ctid = any(array(...))` rather than `ctid in (...)` keeps
 * the outer delete a TID scan.
 */

// consent_idempotency_keys: a key is dead 24 h after use (an expired one is replaced on reuse),
// so the same sweep reclaims it. The console's and the portal's sessions are dead once they end
// (`findLiveSession` filters); a sign-in removes only its own holder's.
const EXPIRING_TABLES = ['oidc_tokens', 'oidc_grants', 'oidc_sessions', 'oidc_interactions', 'oidc_pushed_requests', 'oidc_replay', 'consent_idempotency_keys', 'operator_sessions', 'portal_sessions'];

// Raw SQL for its rowCount: knex-pglite 0.14 makes `.delete()` resolve to the driver's response
// object instead of a count.
async function deleteExpiredBatch(db: Knex, table: string, batchSize: number): Promise<number> {
  const { rowCount }: { rowCount: number } = await db.raw(
    'delete from ?? where ctid = any(array(select ctid from ?? where expires_at <= now() limit ? for update skip locked))',
    [table, table, batchSize],
  );
  return rowCount;
}

/**
 * Deletes every expired row from the oidc-provider tables, the consent API's idempotency keys and the console's and portal's sessions, `batchSize` rows per statement, and
 * returns how many it deleted. Throws a `RangeError` unless `batchSize` is a positive integer.
 */
export async function sweepExpired(db: Knex, batchSize: number): Promise<number> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  let total = 0;
  for (const table of EXPIRING_TABLES) {
    let deleted: number;
    do {
      deleted = await deleteExpiredBatch(db, table, batchSize);
      total += deleted;
    } while (deleted === batchSize);
  }
  return total;
}
