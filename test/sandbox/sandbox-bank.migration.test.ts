import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openStore } from '../../src/db/knex.ts';
import { migrateSandboxBank, rollbackSandboxBank } from '../../sandbox/bank/migrate-sandbox-bank.ts';
import { createIsolatedSchema } from '../helpers/isolated-store.ts';
import { storeKind } from '../helpers/store.ts';

/*
 * The sandbox bank's own migrations, up and down and up again, in a store of this file's own: the
 * payments' columns the bank core added come and go with them.
 */

test(`the sandbox bank's migrations apply, undo and apply again (${storeKind})`, async () => {
  const shared = process.env.DATABASE_URL;
  const schema = shared ? await createIsolatedSchema(shared) : undefined;
  const db = openStore(schema ? { databaseUrl: schema.databaseUrl } : { pgliteDir: 'memory://' });
  try {
    const applied = await migrateSandboxBank(db);
    assert.ok(applied.some((name) => name.includes('sandbox_payments_client_and_transaction')), applied.join(', '));
    for (const column of ['client_id', 'transaction_id', 'refusal']) assert.ok(await db.schema.hasColumn('sandbox_payments', column), column);
    await rollbackSandboxBank(db);
    assert.equal(await db.schema.hasTable('sandbox_payments'), false);
    assert.deepEqual((await migrateSandboxBank(db)).length, applied.length);
  } finally {
    await db.destroy();
    await schema?.drop();
  }
});
