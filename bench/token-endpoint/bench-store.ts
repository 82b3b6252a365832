import { openStore, type Knex } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/*
 * The benchmark borrows a database that tests may be using at the same moment, so it works in a
 * schema of its own, created for the run and dropped after it. Sharing the tables would not do:
 * the signing keys there are sealed with other processes' key-encryption keys (ours could not
 * open them, and keys ours made would stop the next test process), and the run's hundred thousand
 * tokens and replay rows would sit in everybody's indexes. Ours reaches the schema through the
 * connection string (`options=-c search_path=...`), so the product still opens its store from
 * nothing but DATABASE_URL.
 */

export interface BenchStore {
  /** The connection string ours gets as DATABASE_URL. */
  databaseUrl: string;
  /** Drops the schema and everything the run wrote to it. */
  dropSchema(): Promise<void>;
}

/** Creates a fresh schema for this run (`<name>_<pid>`) in `databaseUrl`'s database and migrates it. */
export async function prepareBenchStore(databaseUrl: string, name: string): Promise<BenchStore> {
  const schema = `${name}_${process.pid}`;
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const admin = openStore({ databaseUrl });
  try {
    await admin.raw('drop schema if exists ?? cascade', [schema]);
    await admin.raw('create schema ??', [schema]);
  } finally {
    await admin.destroy();
  }
  const db: Knex = openStore({ databaseUrl: url.href });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return {
    databaseUrl: url.href,
    async dropSchema() {
      const cleaner = openStore({ databaseUrl });
      try {
        await cleaner.raw('drop schema if exists ?? cascade', [schema]);
      } finally {
        await cleaner.destroy();
      }
    },
  };
}
