import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { Knex } from 'knex';

import { createEventBus } from '../../src/events/event-bus.ts';
import type { DomainEvent } from '../../src/events/event-catalogue.ts';
import type { ServiceContext } from '../../src/events/service-context.ts';
import { hashApiKey } from '../../src/gateway/consumers/api-key-format.ts';
import { listApiKeys } from '../../src/gateway/consumers/consumer.store.ts';
import { authenticateApiKey, ConsumerNotFound, createApplication, createOrganisation, issueApiKey, revokeApplicationKey, rotateApiKey, setApplicationState } from '../../src/gateway/consumers/consumers.service.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';
import { openTestStore, storeKind } from '../helpers/store.ts';

let db: Knex;
let context: ServiceContext;
const clock = fixedClock('2026-12-04T12:00:00Z');
const announced: DomainEvent[] = [];
before(async () => {
  db = await openTestStore();
  const events = createEventBus({ clock, onListenerError: (error) => assert.fail(error as Error) });
  for (const name of ['organisation.created', 'application.created', 'application.status_changed', 'api_key.issued', 'api_key.revoked'] as const) events.on(name, (event) => void announced.push(event));
  context = { db, events, clock };
});
after(() => db?.destroy());

async function application() {
  const organisation = await createOrganisation(context, { name: 'Acme Clinics' });
  return createApplication(context, { organisationId: organisation.id, name: 'Appointments app' });
}

const payloadsOf = (name: string) => announced.filter((event) => event.name === name).map((event) => event.payload);

test(`an issued key is shown once, kept only as its hash and prefix, and authenticates its application (${storeKind})`, async () => {
  const app = await application();
  const issued = await issueApiKey(context, app.id);
  assert.match(issued.key, /^pck_[\w-]{8}_[\w-]{43}$/, '256 random bits after the prefix');
  assert.equal(issued.key.slice('pck_'.length, 'pck_'.length + 8), issued.prefix, 'base64url may hold an underscore: the parts are told apart by length');
  const stored = await db('api_keys').first('*').where({ id: issued.keyId });
  assert.equal(stored.key_hash, hashApiKey(issued.key));
  assert.ok(!JSON.stringify(stored).includes(issued.key.slice(-43)), 'the secret is nowhere in the row');
  assert.deepEqual((await listApiKeys(db, app.id)).map((key) => Object.keys(key).sort()), [['application_id', 'created_at', 'expires_at', 'id', 'prefix', 'revoked_at']]);
  const check = await authenticateApiKey(context, issued.key);
  assert.ok('authenticated' in check);
  assert.equal(check.authenticated.application.id, app.id);
  assert.deepEqual(payloadsOf('api_key.issued').at(-1), { keyId: issued.keyId, applicationId: app.id, prefix: issued.prefix });
  assert.notEqual((await issueApiKey(context, app.id)).key, issued.key);
});

test('keys that are not ours, or not well shaped, authenticate nobody', async () => {
  const app = await application();
  const issued = await issueApiKey(context, app.id);
  const flipped = `${issued.key.slice(0, -1)}${issued.key.endsWith('A') ? 'B' : 'A'}`;
  for (const presented of [flipped, '', 'pck_short_key', issued.key.toUpperCase(), `${issued.key} `, issued.prefix]) {
    assert.deepEqual(await authenticateApiKey(context, presented), { refused: 'unknown' }, presented);
  }
});

test('a revoked key authenticates nobody from then on; revoking it again is refused', async () => {
  const app = await application();
  const issued = await issueApiKey(context, app.id);
  await revokeApplicationKey(context, issued.keyId);
  assert.deepEqual(await authenticateApiKey(context, issued.key), { refused: 'unknown' });
  assert.deepEqual(payloadsOf('api_key.revoked').at(-1), { keyId: issued.keyId, applicationId: app.id, prefix: issued.prefix });
  await assert.rejects(revokeApplicationKey(context, issued.keyId), (error: Error) => error instanceof ConsumerNotFound && /revoked already/.test(error.message));
  await assert.rejects(revokeApplicationKey(context, 'key-nothing'), ConsumerNotFound);
});

test('rotation: the new key works at once, the old one until the overlap ends', async () => {
  const app = await application();
  const old = await issueApiKey(context, app.id);
  const rotated = await rotateApiKey(context, old.keyId, 3600);
  assert.equal(rotated.previousExpiresAt.getTime(), clock.now().getTime() + 3600 * 1000);
  assert.ok('authenticated' in (await authenticateApiKey(context, old.key)), 'the old key during the overlap');
  assert.ok('authenticated' in (await authenticateApiKey(context, rotated.key)));
  assert.deepEqual(payloadsOf('api_key.issued').at(-1), { keyId: rotated.keyId, applicationId: app.id, prefix: rotated.prefix, replaces: { keyId: old.keyId, expiresAt: rotated.previousExpiresAt } });
  clock.advance(3600);
  assert.deepEqual(await authenticateApiKey(context, old.key), { refused: 'unknown' }, 'the old key after it');
  assert.ok('authenticated' in (await authenticateApiKey(context, rotated.key)));
  await assert.rejects(rotateApiKey(context, old.keyId, 60), ConsumerNotFound, 'an ended key cannot be rotated again into a longer life');
  const second = await rotateApiKey(context, rotated.keyId, 0);
  assert.deepEqual(await authenticateApiKey(context, rotated.key), { refused: 'unknown' }, 'no overlap asked: the old key ends at once');
  assert.ok('authenticated' in (await authenticateApiKey(context, second.key)));
});

test('a suspended application\'s keys are refused as such until it is active again', async () => {
  const app = await application();
  const issued = await issueApiKey(context, app.id);
  await setApplicationState(context, app.id, 'suspended');
  assert.deepEqual(await authenticateApiKey(context, issued.key), { refused: 'suspended' });
  await setApplicationState(context, app.id, 'active');
  assert.ok('authenticated' in (await authenticateApiKey(context, issued.key)));
  assert.deepEqual(payloadsOf('application.status_changed').slice(-2), [{ applicationId: app.id, status: 'suspended' }, { applicationId: app.id, status: 'active' }]);
  await assert.rejects(setApplicationState(context, 'app-nothing', 'suspended'), ConsumerNotFound);
  await assert.rejects(issueApiKey(context, 'app-nothing'), ConsumerNotFound);
});
