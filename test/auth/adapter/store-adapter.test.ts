import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import type { Knex } from '../../../src/db/knex.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';

// Every model oidc-provider 9 persists (lib/models/*.js, minus the unsaved IdToken).
const MODELS = [
  'AccessToken', 'AuthorizationCode', 'BackchannelAuthenticationRequest', 'Client', 'ClientCredentials',
  'DeviceCode', 'Grant', 'InitialAccessToken', 'Interaction', 'PreAuthorizedCode', 'PushedAuthorizationRequest',
  'RefreshToken', 'RegistrationAccessToken', 'ReplayDetection', 'Session',
];

describe(`createStoreAdapter (${storeKind})`, () => {
  let db: Knex;
  before(async () => {
    db = await openTestStore();
  });
  after(() => db.destroy());

  it('builds an adapter for every model oidc-provider stores', () => {
    const adapterFor = createStoreAdapter(db);
    for (const model of MODELS) {
      assert.equal(typeof adapterFor(model).find, 'function', model);
    }
  });

  it('fails at construction for a model it has no table for', () => {
    const adapterFor = createStoreAdapter(db);
    assert.throws(() => adapterFor('IdToken'), { name: 'TypeError', message: 'no table stores the oidc-provider model "IdToken"' });
    assert.throws(() => adapterFor('toString'), TypeError);
  });

  it('refuses operations oidc-provider never calls for a model', async () => {
    const adapterFor = createStoreAdapter(db);
    await assert.rejects(adapterFor('AccessToken').findByUid('x'), { name: 'TypeError', message: 'findByUid is not supported for the AccessToken model' });
    await assert.rejects(adapterFor('RefreshToken').findByUserCode('x'), TypeError);
    await assert.rejects(adapterFor('Session').consume('x'), TypeError);
    await assert.rejects(adapterFor('Session').revokeByGrantId('x'), TypeError);
    await assert.rejects(adapterFor('Grant').findByUid('x'), TypeError);
    await assert.rejects(adapterFor('Client').revokeByGrantId('x'), TypeError);
    await assert.rejects(adapterFor('ReplayDetection').consume('x'), TypeError);
  });
});
