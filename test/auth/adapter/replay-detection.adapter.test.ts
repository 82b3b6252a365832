import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { CLAIM_SECONDS } from '../../../src/auth/adapter/replay-detection.adapter.ts';
import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import type { Knex } from '../../../src/db/knex.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';
import { statementsDuring } from '../../helpers/count-statements.ts';
import { assertUniqueOnce, replayProvider } from './replay-provider.ts';

// Not in the package's typings: the window oidc-provider gives DPoP proofs, which the claim must cover.
const CHALLENGE_MODULE: string = 'oidc-provider/lib/helpers/challenge.js';

describe(`ReplayDetection adapter (${storeKind})`, () => {
  let db: Knex;
  let replay: ReturnType<ReturnType<typeof createStoreAdapter>>;
  before(async () => {
    db = await openTestStore();
    replay = createStoreAdapter(db)('ReplayDetection');
  });
  after(() => db.destroy());


  async function secondsLeft(id: string): Promise<number> {
    const { seconds } = await db('oidc_replay').first(db.raw('extract(epoch from expires_at - now())::float8 as seconds')).where({ id });
    return seconds;
  }

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

  it('keeps the claim, without a statement, when upsert asks for no longer than it lasts', async () => {
    const id = randomUUID();
    await replay.find(id);

    assert.equal(await statementsDuring(db, () => replay.upsert(id, { jti: id, kind: 'ReplayDetection' }, 75)), 0);
    const seconds = await secondsLeft(id);
    assert.ok(seconds > CLAIM_SECONDS - 5 && seconds <= CLAIM_SECONDS, `expires in ${seconds}s`);
  });

  it('extends the claim with one statement when upsert asks for longer', async () => {
    const id = randomUUID();
    await replay.find(id);

    assert.equal(await statementsDuring(db, () => replay.upsert(id, { jti: id, kind: 'ReplayDetection' }, 3600)), 1);
    const seconds = await secondsLeft(id);
    assert.ok(seconds > 3595 && seconds <= 3600, `expires in ${seconds}s`);
  });

  it('writes the expiry asked for when this process made no claim, and never shortens it', async () => {
    const id = randomUUID();
    await replay.upsert(id, { jti: id, kind: 'ReplayDetection' }, 600);
    await replay.upsert(id, { jti: id, kind: 'ReplayDetection' }, 30);

    const seconds = await secondsLeft(id);
    assert.ok(seconds > 595 && seconds <= 600, `expires in ${seconds}s`);
  });

  it('writes the row again when an id is destroyed between its claim and its upsert', async () => {
    const id = randomUUID();
    await replay.find(id);
    await replay.destroy(id);
    await replay.upsert(id, { jti: id, kind: 'ReplayDetection' }, 30);

    assert.ok(await replay.find(id));
    const seconds = await secondsLeft(id);
    assert.ok(seconds > 25 && seconds <= 30, `expires in ${seconds}s`);
  });

  it('forgets a destroyed id', async () => {
    const id = randomUUID();
    await replay.find(id);
    await replay.destroy(id);
    assert.equal(await replay.find(id), undefined);
  });

  it("makes oidc-provider's ReplayDetection.unique() accept a jti once, even concurrently", async () => {
    await assertUniqueOnce(await replayProvider(createStoreAdapter(db), 'PS256'));
  });

  it('costs unique() one statement for what oidc-provider usually asks, two for a far exp, and blocks the jti until then', async () => {
    const provider = await replayProvider(createStoreAdapter(db));
    const { CHALLENGE_OK_WINDOW } = await import(CHALLENGE_MODULE) as { CHALLENGE_OK_WINDOW: number };
    const now = Math.floor(Date.now() / 1000);
    const clockTolerance = 15;
    // A DPoP proof (validate_dpop.js), an openid-client assertion (exp = iat + 60, jwt_client_auth.js), one valid an hour.
    const asked = { dpop: now + CHALLENGE_OK_WINDOW, assertion: now + 60 + clockTolerance, hour: now + 3600 };
    const jtis = { dpop: randomUUID(), assertion: randomUUID(), hour: randomUUID() };

    assert.equal(await statementsDuring(db, () => provider.ReplayDetection.unique('tpp-1', jtis.dpop, asked.dpop)), 1);
    assert.equal(await statementsDuring(db, () => provider.ReplayDetection.unique('tpp-1', jtis.assertion, asked.assertion)), 1);
    assert.equal(await statementsDuring(db, () => provider.ReplayDetection.unique('tpp-1', jtis.hour, asked.hour)), 2);
    for (const name of ['dpop', 'assertion', 'hour'] as const) {
      const id = createHash('sha256').update(`tpp-1${jtis[name]}`).digest('base64url');
      const { expires } = await db('oidc_replay').first(db.raw('extract(epoch from expires_at)::float8 as expires')).where({ id });
      assert.ok(expires >= asked[name], `${name}: blocked until ${expires}, asked ${asked[name]}`);
      assert.equal(await provider.ReplayDetection.unique('tpp-1', jtis[name], asked[name]), false);
    }
  });
});
