import { fileURLToPath } from 'node:url';

import type { Knex } from 'knex';

import { migrateUnderLock } from '../migrate-under-lock.ts';

// Its own migrations, in their own table: see `migrateUnderLock`.
const config: Knex.MigratorConfig = {
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
  loadExtensions: ['.ts'],
  tableName: 'sandbox_directory_knex_migrations',
};

/** Applies the sandbox directory's pending migrations; returns the names it ran. */
export function migrateSandboxDirectory(db: Knex): Promise<string[]> {
  return migrateUnderLock(db, config);
}

/** Undoes them all (tests check `down` as hard as `up`). */
export async function rollbackSandboxDirectory(db: Knex): Promise<void> {
  await db.migrate.rollback(config, true);
}
