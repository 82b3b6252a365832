import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import { openStore, type Knex } from '../../../src/db/knex.ts';
import { migrateToLatest, rollbackAll } from '../../../src/db/migrate.ts';

const OIDC_TABLES = ['oidc_client_certificates', 'oidc_clients', 'oidc_grants', 'oidc_interactions', 'oidc_pushed_requests', 'oidc_replay', 'oidc_sessions', 'oidc_tokens'];

// Always a private in-memory PGlite: rolling back the shared PostgreSQL test database would pull
// the tables from under every other test file.
describe('oidc-provider table migrations', () => {
  let db: Knex;
  before(() => {
    db = openStore({ pgliteDir: 'memory://' });
  });
  after(() => db.destroy());

  async function oidcTables(): Promise<string[]> {
    const rows: { table_name: string }[] = await db('information_schema.tables')
      .select('table_name')
      .where({ table_schema: 'public' })
      .andWhereLike('table_name', 'oidc\\_%')
      .orderBy('table_name');
    return rows.map((row) => row.table_name);
  }

  it('create every table, drop them all on the way down, and create them again', async () => {
    await migrateToLatest(db);
    assert.deepEqual(await oidcTables(), OIDC_TABLES);

    await rollbackAll(db);
    assert.deepEqual(await oidcTables(), []);

    await migrateToLatest(db);
    assert.deepEqual(await oidcTables(), OIDC_TABLES);
    const id = randomUUID();
    await createStoreAdapter(db)('AccessToken').upsert(id, { kind: 'AccessToken' }, 60);
    assert.ok(await createStoreAdapter(db)('AccessToken').find(id));
  });
});
