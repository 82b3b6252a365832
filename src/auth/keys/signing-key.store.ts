import type { Knex } from 'knex';

export interface SigningKeyRow {
  kid: string;
  alg: string;
  public_jwk: Record<string, unknown>;
  private_jwk_encrypted: string;
  created_at: Date;
  retired_at: Date | null;
}

/** Keys still published: active ones, and retired ones inside the grace period; newest first. */
export function listPublishedKeys(db: Knex, graceSeconds: number): Promise<SigningKeyRow[]> {
  return db<SigningKeyRow>('signing_keys')
    .whereNull('retired_at')
    .orWhere('retired_at', '>', db.raw(`now() - make_interval(secs => ?)`, [graceSeconds]))
    .orderBy([{ column: 'retired_at', order: 'desc', nulls: 'first' }, { column: 'created_at', order: 'desc' }]);
}

/** Algorithms that have an active key. */
export async function listActiveAlgorithms(db: Knex): Promise<string[]> {
  const rows = await db('signing_keys').distinct('alg').whereNull('retired_at');
  return rows.map((row: { alg: string }) => row.alg);
}

export async function insertSigningKey(db: Knex, row: Omit<SigningKeyRow, 'created_at' | 'retired_at'>): Promise<void> {
  await db('signing_keys').insert(row);
}

/** Retires every active key of `alg` except `keepKid`. */
export async function retireSigningKeys(db: Knex, alg: string, keepKid: string): Promise<void> {
  await db('signing_keys').where({ alg }).whereNull('retired_at').whereNot({ kid: keepKid }).update({ retired_at: db.fn.now() });
}

/**
 * Serialises key generation across instances that start at once, so that no algorithm ends up
 * with two active keys (transaction-scoped advisory lock).
 */
export async function lockSigningKeys(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtext('portcullis.signing_keys'))`);
}
