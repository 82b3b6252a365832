import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import { sweepExpired } from '../../../src/auth/adapter/sweep-expired.ts';
import type { Knex } from '../../../src/db/knex.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';

// On a shared PostgreSQL database other test files may add expired rows of their own, so these
// tests assert on their own rows and treat the returned count as a lower bound.
describe(`sweepExpired (${storeKind})`, () => {
  let db: Knex;
  let adapterFor: ReturnType<typeof createStoreAdapter>;
  before(async () => {
    db = await openTestStore();
    adapterFor = createStoreAdapter(db);
  });
  after(() => db.destroy());

  const MODELS = ['AccessToken', 'Grant', 'Session', 'Interaction', 'PushedAuthorizationRequest', 'ReplayDetection'];
  const TABLES = ['oidc_tokens', 'oidc_grants', 'oidc_sessions', 'oidc_interactions', 'oidc_pushed_requests', 'oidc_replay'];

  async function writeRows(expiresIn: number | undefined): Promise<string[]> {
    const ids = MODELS.map(() => randomUUID());
    await Promise.all(MODELS.map((model, index) => adapterFor(model).upsert(ids[index]!, { kind: model, uid: randomUUID() }, expiresIn)));
    return ids;
  }

  async function remaining(ids: string[]): Promise<number> {
    const counts = await Promise.all(TABLES.map((table) => db(table).select('id').whereIn('id', ids)));
    return counts.flat().length;
  }

  it('deletes expired rows from every table, in batches, and leaves live ones', async () => {
    const expired = [...(await writeRows(-1)), ...(await writeRows(-1))];
    const live = await writeRows(600);
    const eternal = await writeRows(undefined);

    const deleted = await sweepExpired(db, 1);

    assert.ok(deleted >= expired.length, `deleted ${deleted}`);
    assert.equal(await remaining(expired), 0);
    assert.equal(await remaining(live), live.length);
    assert.equal(await remaining(eternal), eternal.length);
    await Promise.all(TABLES.map((table) => db(table).whereIn('id', eternal).delete()));
  });

  it("deletes the consent API's idempotency keys 24 hours after use, not before", async () => {
    const consentId = `aac-${randomUUID()}`;
    await db('consents').insert({ id: consentId, kind: 'account-access', client_id: 'sweep-test', status: 'AwaitingAuthorisation', request: JSON.stringify({ Data: {} }) });
    const key = (name: string, expiresAt: unknown) => ({ client_id: 'sweep-test', kind: 'account-access', idempotency_key: `${name}-${consentId}`, request_hash: 'h', consent_id: consentId, expires_at: expiresAt });
    await db('consent_idempotency_keys').insert([key('old', db.raw("now() - interval '1 second'")), key('fresh', db.raw("now() + interval '1 day'"))]);

    await sweepExpired(db, 100);

    const left = await db('consent_idempotency_keys').pluck('idempotency_key').where({ consent_id: consentId });
    assert.deepEqual(left, [`fresh-${consentId}`]);
  });

  it('keeps a consumed authorization code until it expires', async () => {
    const id = randomUUID();
    await adapterFor('AuthorizationCode').upsert(id, { kind: 'AuthorizationCode' }, 60);
    await adapterFor('AuthorizationCode').consume(id);

    await sweepExpired(db, 100);

    assert.equal(typeof (await adapterFor('AuthorizationCode').find(id))?.consumed, 'number');
  });

  it('rejects a batch size that could never finish', async () => {
    await assert.rejects(sweepExpired(db, 0), RangeError);
    await assert.rejects(sweepExpired(db, 1.5), RangeError);
  });
});
