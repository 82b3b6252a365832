import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import type { Knex } from '../../../src/db/knex.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';

describe(`single-use consumption of codes and refresh tokens (${storeKind})`, () => {
  let db: Knex;
  let adapterFor: ReturnType<typeof createStoreAdapter>;
  before(async () => {
    db = await openTestStore();
    adapterFor = createStoreAdapter(db);
  });
  after(() => db.destroy());

  async function grantWithCode() {
    const grantId = randomUUID();
    const code = randomUUID();
    const accessToken = randomUUID();
    await adapterFor('Grant').upsert(grantId, { jti: grantId, kind: 'Grant', clientId: 'tpp', accountId: 'a' }, 60);
    await adapterFor('AuthorizationCode').upsert(code, { jti: code, kind: 'AuthorizationCode', grantId, clientId: 'tpp' }, 60);
    await adapterFor('AccessToken').upsert(accessToken, { jti: accessToken, kind: 'AccessToken', grantId, clientId: 'tpp' }, 60);
    return { grantId, code, accessToken };
  }

  it('lets exactly one of two concurrent redemptions consume a code, and revokes the grant for the other', async () => {
    const { grantId, code, accessToken } = await grantWithCode();
    const results = await Promise.allSettled([adapterFor('AuthorizationCode').consume(code), adapterFor('AuthorizationCode').consume(code)]);
    assert.deepEqual(results.map((result) => result.status).sort(), ['fulfilled', 'rejected']);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    assert.equal(rejected.reason.error, 'invalid_grant');
    assert.equal(rejected.reason.error_detail, 'authorization code already consumed');
    assert.equal(await adapterFor('AccessToken').find(accessToken), undefined, 'the grant\'s tokens are revoked');
    assert.equal(await adapterFor('Grant').find(grantId), undefined);
  });

  it('refuses to consume a code that is not there', async () => {
    await assert.rejects(adapterFor('AuthorizationCode').consume(randomUUID()), { error: 'invalid_grant' });
  });

  it('records the consumption time a later find reports', async () => {
    const { code } = await grantWithCode();
    await adapterFor('AuthorizationCode').consume(code);
    const found = await adapterFor('AuthorizationCode').find(code);
    assert.equal(typeof found?.consumed, 'number');
  });
});
