import { randomBytes } from 'node:crypto';

import { openStore, type Knex } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { openPgliteFromTemplate } from './pglite-template.ts';

export interface IsolatedStore {
  db: Knex;
  /** Connection string of the private schema; absent on PGlite, where the store is private already. */
  databaseUrl: string | undefined;
  /** Closes the store and, on PostgreSQL, drops the schema. */
  close(): Promise<void>;
}

/**
 * An empty PostgreSQL schema of its own inside the shared test database, reached through the
 * connection's `search_path`: for tests (and CLI child processes) that need a store no other test
 * file sees. Only meaningful when `DATABASE_URL` is set.
 */
export async function createIsolatedSchema(sharedUrl: string): Promise<{ databaseUrl: string; drop(): Promise<void> }> {
  const schema = `test_keys_${randomBytes(6).toString('hex')}`;
  const admin = openStore({ databaseUrl: sharedUrl });
  await admin.raw('create schema ??', [schema]);
  const url = new URL(sharedUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    databaseUrl: url.href,
    async drop() {
      await admin.raw('drop schema ?? cascade', [schema]);
      await admin.destroy();
    },
  };
}

/**
 * A store no other test file sees. A test owns the rows it makes, but signing keys are the whole
 * server's: rotating or expiring them in the shared PostgreSQL test database would change the keys
 * of servers that other test files run at the same time. On PostgreSQL this is a freshly migrated
 * schema of its own; on PGlite, the test file's own in-memory database, as empty.
 */
export async function openIsolatedStore(): Promise<IsolatedStore> {
  const shared = process.env.DATABASE_URL;
  if (!shared) {
    const db = await openPgliteFromTemplate('empty');
    return { db, databaseUrl: undefined, close: () => db.destroy() };
  }
  const schema = await createIsolatedSchema(shared);
  const db = openStore({ databaseUrl: schema.databaseUrl });
  await migrateToLatest(db);
  return {
    db,
    databaseUrl: schema.databaseUrl,
    async close() {
      await db.destroy();
      await schema.drop();
    },
  };
}
