import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import type { Knex } from '../../../src/db/knex.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';

describe(`ReplayDetection adapter (${storeKind})`, () => {
  let db: Knex;
  let replay: ReturnType<ReturnType<typeof createStoreAdapter>>;
  before(async () => {
    db = await openTestStore();
    replay = createStoreAdapter(db)('ReplayDetection');
  });
  after(() => db.destroy());

  it('reports an id unseen on the first find and seen after the upsert', async () => {
    const id = randomUUID();
    assert.equal(await replay.find(id), undefined);
    await replay.upsert(id, { jti: id, kind: 'ReplayDetection', iss: 'tpp-1' }, 60);

    assert.deepEqual(await replay.find(id), { jti: id, kind: 'ReplayDetection' });
  });

  it('reports an id seen as soon as one find has claimed it', async () => {
    const id = randomUUID();
    assert.equal(await replay.find(id), undefined);
    assert.ok(await replay.find(id));
  });

  it('lets exactly one of many concurrent finds claim an id', async () => {
    const id = randomUUID();
    const results = await Promise.all(Array.from({ length: 8 }, () => replay.find(id)));
    assert.equal(results.filter((result) => result === undefined).length, 1);
  });

  it('claims an expired id anew, once', async () => {
    const id = randomUUID();
    await replay.upsert(id, { jti: id, kind: 'ReplayDetection' }, -1);

    assert.equal(await replay.find(id), undefined);
    assert.ok(await replay.find(id));
  });

  it('sets the real expiry on upsert', async () => {
    const id = randomUUID();
    await replay.find(id);
    await replay.upsert(id, { jti: id, kind: 'ReplayDetection' }, 30);

    const { seconds } = await db('oidc_replay').first(db.raw('extract(epoch from expires_at - now())::float8 as seconds')).where({ id });
    assert.ok(seconds > 25 && seconds <= 30, `expires in ${seconds}s`);
  });

  it('forgets a destroyed id', async () => {
    const id = randomUUID();
    await replay.find(id);
    await replay.destroy(id);
    assert.equal(await replay.find(id), undefined);
  });

  it("makes oidc-provider's ReplayDetection.unique() accept a jti once, even concurrently", async () => {
    const { privateKey } = await generateKeyPair('PS256', { extractable: true });
    const provider = new Provider('https://op.example', {
      adapter: createStoreAdapter(db),
      jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'PS256', use: 'sig' }] },
      features: { devInteractions: { enabled: false } },
    });
    const exp = Math.floor(Date.now() / 1000) + 60;
    const jti = randomUUID();

    const results = await Promise.all(Array.from({ length: 4 }, () => provider.ReplayDetection.unique('tpp-1', jti, exp)));
    assert.deepEqual(results.filter(Boolean), [true]);
    assert.equal(await provider.ReplayDetection.unique('tpp-1', jti, exp), false);
    assert.equal(await provider.ReplayDetection.unique('tpp-2', jti, exp), true);
  });
});
