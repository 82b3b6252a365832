import { openStore, type Knex } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/**
 * The store a test file uses: the PostgreSQL server named by `DATABASE_URL` (migrated once by
 * global setup; each test owns the rows it makes), or else a private in-memory PGlite database,
 * migrated here because PGlite cannot be shared between test processes.
 */
export async function openTestStore(): Promise<Knex> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) return openStore({ databaseUrl });
  const db = openStore({ pgliteDir: 'memory://' });
  await migrateToLatest(db);
  return db;
}

/** Which store the suite runs against, for test names and skip messages. */
export const storeKind = process.env.DATABASE_URL ? 'postgresql' : 'pglite';
