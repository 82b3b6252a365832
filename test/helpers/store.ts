import { openStore, type Knex } from '../../src/db/knex.ts';
import { openPgliteFromTemplate } from './pglite-template.ts';

/**
 * The store a test file uses: the PostgreSQL server named by `DATABASE_URL` (migrated once by
 * global setup; each test owns the rows it makes), or else a private in-memory PGlite database
 * (PGlite cannot be shared between test processes), a copy of the one global setup made: migrated,
 * with the sandbox bank, as global setup leaves the PostgreSQL one.
 */
export async function openTestStore(): Promise<Knex> {
  const databaseUrl = process.env.DATABASE_URL;
  return databaseUrl ? openStore({ databaseUrl }) : openPgliteFromTemplate();
}

/** Which store the suite runs against, for test names and skip messages. */
export const storeKind = process.env.DATABASE_URL ? 'postgresql' : 'pglite';
