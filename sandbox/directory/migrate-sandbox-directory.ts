import { fileURLToPath } from 'node:url';

import type { Knex } from 'knex';

/*
 * The sandbox directory's tables have migrations of their own, recorded in their own table (as the
 * sandbox bank's are), so that a production store, which never loads the sandbox, has none of
 * them. They run when the sandbox starts, where several instances (or test files) may start on one
 * database together: knex creates its migration tables without a lock, so two first runs could
 * both create them, or leave two lock rows that lock the migrations for good. A transaction-level
 * advisory lock makes the runs take turns, and the migrations run on that transaction's connection
 * (the only one PGlite has).
 */
const config: Knex.MigratorConfig = {
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
  loadExtensions: ['.ts'],
  tableName: 'sandbox_directory_knex_migrations',
};

// Any constant both runs agree on; pg_advisory_xact_lock takes a bigint.
const MIGRATION_LOCK = 4_242_020_612;

/** Applies the sandbox directory's pending migrations; returns the names it ran. */
export async function migrateSandboxDirectory(db: Knex): Promise<string[]> {
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    const [, applied] = await trx.migrate.latest(config);
    return applied as string[];
  });
}

/** Undoes them all (tests check `down` as hard as `up`). */
export async function rollbackSandboxDirectory(db: Knex): Promise<void> {
  await db.migrate.rollback(config, true);
}
