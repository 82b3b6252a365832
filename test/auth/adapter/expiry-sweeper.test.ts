import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { startSweeper } from '../../../src/auth/adapter/expiry-sweeper.ts';
import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import { openStore, type Knex } from '../../../src/db/knex.ts';
import { eventually } from '../../helpers/eventually.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';

describe(`startSweeper (${storeKind})`, () => {
  let db: Knex;
  before(async () => {
    db = await openTestStore();
  });
  after(() => db.destroy());

  it('deletes expired rows in the background until stopped', async () => {
    const tokens = createStoreAdapter(db)('AccessToken');
    const expired = randomUUID();
    const live = randomUUID();
    await tokens.upsert(expired, { kind: 'AccessToken' }, -1);
    await tokens.upsert(live, { kind: 'AccessToken' }, 600);
    const errors: unknown[] = [];

    const stopSweeper = startSweeper(db, { intervalSeconds: 0.01, batchSize: 100, onError: (error) => errors.push(error) });
    await eventually(async () => (await db('oidc_tokens').select('id').where({ id: expired })).length === 0, { withinMs: 15_000, what: 'the expired row to go' });
    await stopSweeper();

    assert.deepEqual(errors, []);
    assert.ok(await tokens.find(live));
  });

  it('reports failed sweeps, keeps sweeping, and stops for good', async () => {
    // A database without the tables: every sweep fails.
    const empty = openStore({ pgliteDir: 'memory://' });
    const errors: unknown[] = [];
    try {
      // PGlite's first query waits for its WASM start-up, which must not eat the sweep deadline.
      await empty.raw('select 1');
      const stopSweeper = startSweeper(empty, { intervalSeconds: 0.01, batchSize: 100, onError: (error) => errors.push(error) });
      await eventually(async () => errors.length >= 2, { withinMs: 15_000, what: 'two failed sweeps' });
      await stopSweeper();
      const reported = errors.length;
      await delay(50);

      assert.equal(errors.length, reported);
      assert.match(String(errors[0]), /oidc_tokens/);
    } finally {
      await empty.destroy();
    }
  });

  it('rejects settings that would spin or never finish', () => {
    const onError = (): void => undefined;
    assert.throws(() => startSweeper(db, { intervalSeconds: 0, batchSize: 100, onError }), RangeError);
    assert.throws(() => startSweeper(db, { intervalSeconds: 1, batchSize: 0, onError }), RangeError);
  });
});
