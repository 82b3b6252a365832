import { fileURLToPath } from 'node:url';

import type { Knex } from 'knex';

const directory = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Applies every pending migration in `migrations/`; returns the names it ran. */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = await db.migrate.latest({ directory, loadExtensions: ['.ts'] });
  return applied as string[];
}

/** Undoes every migration; used by tests that check `down` as hard as `up`. */
export async function rollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback({ directory, loadExtensions: ['.ts'] }, true);
}
