import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { migrateSandboxDirectory, rollbackSandboxDirectory } from '../../sandbox/directory/migrate-sandbox-directory.ts';
import { openStore, type Knex } from '../../src/db/knex.ts';
import { createIsolatedSchema } from '../helpers/isolated-store.ts';
import { storeKind } from '../helpers/store.ts';

/*
 * The sandbox directory's tables come and go with migrations of their own, on a store of this
 * file's own (a fresh schema on PostgreSQL): instances starting together on one database apply
 * them once, with one lock row, and `down` removes everything `up` made.
 */

const TABLES = ['sandbox_directory_organisations', 'sandbox_directory_software'];
let stores: Knex[];
let drop: () => Promise<void> = async () => {};
before(async () => {
  const shared = process.env.DATABASE_URL;
  if (shared) {
    const schema = await createIsolatedSchema(shared);
    drop = schema.drop;
    stores = [0, 1, 2].map(() => openStore({ databaseUrl: schema.databaseUrl }));
  } else {
    const db = openStore({ pgliteDir: 'memory://' });
    stores = [db, db, db];
  }
});
after(async () => {
  await Promise.all([...new Set(stores)].map((db) => db.destroy()));
  await drop();
});

test(`three instances starting together migrate once; down undoes up (${storeKind})`, async () => {
  const runs = await Promise.all(stores.map((db) => migrateSandboxDirectory(db)));
  assert.deepEqual(runs.flat(), ['20261206000000_create_sandbox_directory.ts']);
  const db = stores[0]!;
  assert.deepEqual(await db('sandbox_directory_knex_migrations_lock').select('is_locked'), [{ is_locked: 0 }]);
  for (const table of TABLES) assert.equal(await db.schema.hasTable(table), true, table);

  await rollbackSandboxDirectory(db);
  for (const table of TABLES) assert.equal(await db.schema.hasTable(table), false, table);
  assert.deepEqual(await migrateSandboxDirectory(db), ['20261206000000_create_sandbox_directory.ts']);
});
