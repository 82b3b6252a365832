import { fileURLToPath } from 'node:url';

import type { Knex } from 'knex';

/*
 * The sandbox bank's tables have migrations of their own, recorded in their own table, so that a
 * production store (which never loads the sandbox) has none of them, and the product's migrations
 * never depend on the sandbox's.
 */
const config: Knex.MigratorConfig = {
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
  loadExtensions: ['.ts'],
  tableName: 'sandbox_knex_migrations',
};

/** Applies the sandbox bank's pending migrations; returns the names it ran. */
export async function migrateSandboxBank(db: Knex): Promise<string[]> {
  const [, applied] = await db.migrate.latest(config);
  return applied as string[];
}

/** Undoes them all (tests check `down` as hard as `up`). */
export async function rollbackSandboxBank(db: Knex): Promise<void> {
  await db.migrate.rollback(config, true);
}
