import { fileURLToPath } from 'node:url';

import type { Knex } from 'knex';

/*
 * The sandbox's parts (bank, directory) have migrations of their own, each recorded in its own
 * table, so that a production store, which never loads the sandbox, has none of them. They run
 * when the sandbox starts, where several instances (or test files) may start on one database
 * together: knex creates its migration tables without a lock, so two first runs could both create
 * them, or leave two lock rows that lock the migrations for good. A transaction-level advisory lock
 * makes the runs take turns, and the migrations run on that transaction's connection (the only one
 * PGlite has).
 */

// Any constant every run agrees on (pg_advisory_xact_lock takes a bigint); one for all the sandbox's parts.
const MIGRATION_LOCK = 4_242_020_612;

/** Applies the pending migrations `config` names, taking turns with any other run; returns the names it ran. */
function migrateUnderLock(db: Knex, config: Knex.MigratorConfig): Promise<string[]> {
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    const [, applied] = await trx.migrate.latest(config);
    return applied as string[];
  });
}

/** The migrations of one part of the sandbox: the files in `directory`, recorded in `tableName`. */
export function sandboxMigrations(directory: URL, tableName: string) {
  const config: Knex.MigratorConfig = { directory: fileURLToPath(directory), loadExtensions: ['.ts'], tableName };
  return {
    /** Applies the pending ones; returns the names it ran. */
    migrate: (db: Knex): Promise<string[]> => migrateUnderLock(db, config),
    /** Undoes them all (tests check `down` as hard as `up`). */
    async rollback(db: Knex): Promise<void> {
      await db.migrate.rollback(config, true);
    },
  };
}
