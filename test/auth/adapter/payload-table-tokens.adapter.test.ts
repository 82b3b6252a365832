import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import type { Knex } from '../../../src/db/knex.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';

const epochNow = (): number => Math.floor(Date.now() / 1000);

describe(`oidc_tokens adapter (${storeKind})`, () => {
  let db: Knex;
  let adapterFor: ReturnType<typeof createStoreAdapter>;
  before(async () => {
    db = await openTestStore();
    adapterFor = createStoreAdapter(db);
  });
  after(() => db.destroy());

  it('round-trips a payload and copies its ids into columns', async () => {
    const id = randomUUID();
    const payload = { jti: id, kind: 'AccessToken', grantId: randomUUID(), clientId: 'tpp-1', accountId: 'acc-1', scope: 'openid accounts', exp: epochNow() + 60, iat: epochNow() };
    await adapterFor('AccessToken').upsert(id, payload, 60);

    assert.deepEqual(await adapterFor('AccessToken').find(id), payload);
    const row = await db('oidc_tokens').first('kind', 'grant_id', 'client_id', 'account_id', 'consumed_at').where({ id });
    assert.deepEqual(row, { kind: 'AccessToken', grant_id: payload.grantId, client_id: 'tpp-1', account_id: 'acc-1', consumed_at: null });
  });

  it('keeps each model in its own id namespace', async () => {
    const id = randomUUID();
    await adapterFor('RefreshToken').upsert(id, { kind: 'RefreshToken', clientId: 'a' }, 60);
    await adapterFor('AccessToken').upsert(id, { kind: 'AccessToken', clientId: 'b' }, 60);

    assert.equal((await adapterFor('RefreshToken').find(id))?.clientId, 'a');
    assert.equal((await adapterFor('AccessToken').find(id))?.clientId, 'b');
    assert.equal(await adapterFor('AuthorizationCode').find(id), undefined);
  });

  it('replaces the row on a second upsert', async () => {
    const id = randomUUID();
    await adapterFor('DeviceCode').upsert(id, { kind: 'DeviceCode', userCode: 'AAAA-BBBB' }, 60);
    await adapterFor('DeviceCode').upsert(id, { kind: 'DeviceCode', userCode: 'AAAA-BBBB', accountId: 'acc-2' }, 60);

    assert.equal((await adapterFor('DeviceCode').find(id))?.accountId, 'acc-2');
    assert.equal((await db('oidc_tokens').select('id').where({ id })).length, 1);
  });

  it('does not find a missing or expired row', async () => {
    const expiredOnWrite = randomUUID();
    const expiredLater = randomUUID();
    await adapterFor('AccessToken').upsert(expiredOnWrite, { kind: 'AccessToken' }, -1);
    await adapterFor('AccessToken').upsert(expiredLater, { kind: 'AccessToken' }, 60);
    assert.ok(await adapterFor('AccessToken').find(expiredLater));

    await db('oidc_tokens').where({ id: expiredLater }).update({ expires_at: db.raw("now() - interval '1 second'") });

    assert.equal(await adapterFor('AccessToken').find(randomUUID()), undefined);
    assert.equal(await adapterFor('AccessToken').find(expiredOnWrite), undefined);
    assert.equal(await adapterFor('AccessToken').find(expiredLater), undefined);
  });

  it('treats an expiresIn of 0 as expired and an absent one as no expiry', async () => {
    const zero = randomUUID();
    const none = randomUUID();
    await adapterFor('InitialAccessToken').upsert(zero, { kind: 'InitialAccessToken' }, 0);
    await adapterFor('InitialAccessToken').upsert(none, { kind: 'InitialAccessToken' });

    assert.equal(await adapterFor('InitialAccessToken').find(zero), undefined);
    assert.ok(await adapterFor('InitialAccessToken').find(none));
    assert.equal((await db('oidc_tokens').first('expires_at').where({ id: none }))?.expires_at, null);
    await adapterFor('InitialAccessToken').destroy(none);
  });

  it('stores expires_at as now + expiresIn', async () => {
    const id = randomUUID();
    await adapterFor('AuthorizationCode').upsert(id, { kind: 'AuthorizationCode' }, 120);
    const { seconds } = await db('oidc_tokens').first(db.raw('extract(epoch from expires_at - now())::float8 as seconds')).where({ id });
    assert.ok(seconds > 115 && seconds <= 120, `expires in ${seconds}s`);
  });

  it('reports consumption as epoch seconds in `consumed`', async () => {
    const id = randomUUID();
    await adapterFor('AuthorizationCode').upsert(id, { kind: 'AuthorizationCode', grantId: randomUUID() }, 60);
    assert.equal((await adapterFor('AuthorizationCode').find(id))?.consumed, undefined);

    const before = epochNow();
    await adapterFor('AuthorizationCode').consume(id);
    const consumed = (await adapterFor('AuthorizationCode').find(id))?.consumed;

    assert.equal(typeof consumed, 'number');
    assert.ok(consumed >= before - 1 && consumed <= epochNow(), `consumed at ${consumed}`);
  });

  it('keeps a token consumed when a stale copy is saved again', async () => {
    const id = randomUUID();
    await adapterFor('RefreshToken').upsert(id, { kind: 'RefreshToken' }, 60);
    await adapterFor('RefreshToken').consume(id);
    await adapterFor('RefreshToken').upsert(id, { kind: 'RefreshToken', scope: 'openid' }, 60);

    const found = await adapterFor('RefreshToken').find(id);
    assert.equal(found?.scope, 'openid');
    assert.equal(typeof found?.consumed, 'number');
  });

  it('records consumption carried in an upserted payload', async () => {
    const id = randomUUID();
    await adapterFor('BackchannelAuthenticationRequest').upsert(id, { kind: 'BackchannelAuthenticationRequest', consumed: 1_800_000_000 }, 60);
    assert.equal((await adapterFor('BackchannelAuthenticationRequest').find(id))?.consumed, 1_800_000_000);
  });

  it('destroys a row', async () => {
    const id = randomUUID();
    await adapterFor('ClientCredentials').upsert(id, { kind: 'ClientCredentials', clientId: 'tpp-1' }, 60);
    await adapterFor('ClientCredentials').destroy(id);
    assert.equal(await adapterFor('ClientCredentials').find(id), undefined);
  });

  it('finds a live device code by user code', async () => {
    const id = randomUUID();
    const expired = randomUUID();
    const userCode = randomUUID();
    await adapterFor('DeviceCode').upsert(id, { kind: 'DeviceCode', userCode }, 60);
    await adapterFor('DeviceCode').upsert(expired, { kind: 'DeviceCode', userCode: `${userCode}-old` }, -1);

    assert.equal((await adapterFor('DeviceCode').findByUserCode(userCode))?.kind, 'DeviceCode');
    assert.equal(await adapterFor('DeviceCode').findByUserCode(`${userCode}-old`), undefined);
    assert.equal(await adapterFor('DeviceCode').findByUserCode(randomUUID()), undefined);
  });

  describe('revokeByGrantId', () => {
    async function issueGrant(): Promise<{ grantId: string; tokens: [string, string][] }> {
      const grantId = randomUUID();
      await adapterFor('Grant').upsert(grantId, { kind: 'Grant', accountId: 'acc-1', clientId: 'tpp-1' }, 600);
      const tokens: [string, string][] = [['AccessToken', randomUUID()], ['RefreshToken', randomUUID()], ['AuthorizationCode', randomUUID()]];
      for (const [model, id] of tokens) await adapterFor(model).upsert(id, { kind: model, grantId }, 60);
      return { grantId, tokens };
    }

    async function survivors(tokens: [string, string][]): Promise<number> {
      const found = await Promise.all(tokens.map(([model, id]) => adapterFor(model).find(id)));
      return found.filter(Boolean).length;
    }

    it('removes every token of the grant, whatever the model called, and the grant', async () => {
      const revoked = await issueGrant();
      const kept = await issueGrant();

      await adapterFor('RefreshToken').revokeByGrantId(revoked.grantId);

      assert.equal(await survivors(revoked.tokens), 0);
      assert.equal(await adapterFor('Grant').find(revoked.grantId), undefined);
      assert.equal(await survivors(kept.tokens), 3);
      assert.ok(await adapterFor('Grant').find(kept.grantId));
    });

    it('is harmless when oidc-provider calls it for every model at once, and again later', async () => {
      const revoked = await issueGrant();
      const models = ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode', 'BackchannelAuthenticationRequest'];

      await Promise.all([
        ...models.map((model) => adapterFor(model).revokeByGrantId(revoked.grantId)),
        adapterFor('Grant').destroy(revoked.grantId),
      ]);
      await adapterFor('AccessToken').revokeByGrantId(revoked.grantId);

      assert.equal(await survivors(revoked.tokens), 0);
      assert.equal(await adapterFor('Grant').find(revoked.grantId), undefined);
    });
  });
});
