import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import type { Knex } from '../../../src/db/knex.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';

// Grants, sessions, interactions and pushed authorization requests: one table per model.
describe(`grant, session, interaction and PAR adapters (${storeKind})`, () => {
  let db: Knex;
  let adapterFor: ReturnType<typeof createStoreAdapter>;
  before(async () => {
    db = await openTestStore();
    adapterFor = createStoreAdapter(db);
  });
  after(() => db.destroy());

  it('round-trips a grant and copies account and client ids', async () => {
    const id = randomUUID();
    const payload = { jti: id, kind: 'Grant', accountId: 'acc-1', clientId: 'tpp-1', openid: { scope: 'openid' }, resources: { 'https://rs.example': 'accounts' } };
    await adapterFor('Grant').upsert(id, payload, 600);

    assert.deepEqual(await adapterFor('Grant').find(id), payload);
    assert.deepEqual(await db('oidc_grants').first('account_id', 'client_id').where({ id }), { account_id: 'acc-1', client_id: 'tpp-1' });
  });

  it('round-trips a session and finds it by uid while it lives', async () => {
    const id = randomUUID();
    const uid = randomUUID();
    const payload = { jti: id, kind: 'Session', uid, accountId: 'acc-1', loginTs: 1_800_000_000 };
    await adapterFor('Session').upsert(id, payload, 600);

    assert.deepEqual(await adapterFor('Session').find(id), payload);
    assert.deepEqual(await adapterFor('Session').findByUid(uid), payload);
    assert.equal(await adapterFor('Session').findByUid(randomUUID()), undefined);

    await db('oidc_sessions').where({ id }).update({ expires_at: db.raw("now() - interval '1 second'") });
    assert.equal(await adapterFor('Session').find(id), undefined);
    assert.equal(await adapterFor('Session').findByUid(uid), undefined);
  });

  it('follows a session to its new id after login rotates it', async () => {
    const uid = randomUUID();
    const oldId = randomUUID();
    const newId = randomUUID();
    await adapterFor('Session').upsert(oldId, { kind: 'Session', uid }, 600);
    // Session#save(): destroy the old id, then write the new one (lib/models/session.js).
    await adapterFor('Session').destroy(oldId);
    await adapterFor('Session').upsert(newId, { kind: 'Session', uid, accountId: 'acc-1' }, 600);

    assert.equal(await adapterFor('Session').find(oldId), undefined);
    assert.equal((await adapterFor('Session').findByUid(uid))?.accountId, 'acc-1');
  });

  it('round-trips an interaction, NUL characters included', async () => {
    const id = randomUUID();
    const payload = { jti: id, kind: 'Interaction', params: { client_id: 'tpp-1', state: 'a\u0000b' }, prompt: { name: 'login', reasons: ['no_session'], details: {} } };
    await adapterFor('Interaction').upsert(id, payload, 600);

    assert.deepEqual(await adapterFor('Interaction').find(id), payload);
    await adapterFor('Interaction').destroy(id);
    assert.equal(await adapterFor('Interaction').find(id), undefined);
  });

  it('round-trips a pushed authorization request and marks it used', async () => {
    const id = `urn:ietf:params:oauth:request_uri:${randomUUID()}`;
    const payload = { jti: id, kind: 'PushedAuthorizationRequest', request: 'eyJhbGciOiJub25lIn0.e30.' };
    await adapterFor('PushedAuthorizationRequest').upsert(id, payload, 60);
    assert.deepEqual(await adapterFor('PushedAuthorizationRequest').find(id), payload);

    await adapterFor('PushedAuthorizationRequest').consume(id);

    assert.equal(typeof (await adapterFor('PushedAuthorizationRequest').find(id))?.consumed, 'number');
  });

  it('does not find expired grants, interactions or pushed requests', async () => {
    const id = randomUUID();
    for (const model of ['Grant', 'Interaction', 'PushedAuthorizationRequest']) {
      await adapterFor(model).upsert(id, { kind: model }, -1);
      assert.equal(await adapterFor(model).find(id), undefined, model);
    }
  });
});
