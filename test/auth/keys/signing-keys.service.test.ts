import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';

import type { JWK } from 'jose';

import type { SigningKeyRow } from '../../../src/auth/keys/signing-key.store.ts';
import { describeSigningKeys, loadSigningKeys, rotateSigningKeys, type RotatedKey } from '../../../src/auth/keys/signing-keys.service.ts';
import { SIGNING_ALGORITHMS } from '../../../src/openbanking/fapi-algorithms.ts';
import { createEventBus } from '../../../src/events/event-bus.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { storeKind } from '../../helpers/store.ts';
import { openIsolatedStore } from '../../helpers/isolated-store.ts';
import { passTime, signingTimeline } from './key-timeline.ts';

const GRACE = 24 * 60 * 60;
const DELAY = 10 * 60;
const events = createEventBus({ clock: systemClock, onListenerError: (error) => assert.fail(error as Error) });
const LATER = { activationDelaySeconds: DELAY, events };
const NOW = { activationDelaySeconds: 0, events };
const WRONG_KEY_MESSAGE = { message: /^signing key \S+ cannot be decrypted: is KEY_ENCRYPTION_KEY the one it was stored with\?$/ };

async function isolatedStore(t: TestContext) {
  const store = await openIsolatedStore();
  t.after(() => store.close());
  return store.db;
}

const kidsOf = (keys: Array<JWK | RotatedKey>) => keys.map((key) => key.kid!).sort();
const signing = (keys: JWK[]) => keys.filter((key) => key.key_ops === undefined);
const verifyOnly = (keys: JWK[]) => keys.filter((key) => key.key_ops !== undefined);
const byAlg = (keys: Array<JWK | RotatedKey>, alg: string) => keys.find((key) => key.alg === alg)!.kid!;

/** alg → the kids that sign from now on, in order, as `signingTimeline` has it. */
function expectedTimeline(...generations: Array<Array<JWK | RotatedKey>>): Map<string, string[]> {
  return new Map(SIGNING_ALGORITHMS.map((alg) => [alg, generations.map((keys) => byAlg(keys, alg))]));
}

test(`first load generates one key per algorithm that signs at once, with unique kids (${storeKind})`, async (t) => {
  const db = await isolatedStore(t);
  const { keys } = await loadSigningKeys(db, randomBytes(32), GRACE);
  assert.deepEqual(keys.map((key) => key.alg).sort(), [...SIGNING_ALGORITHMS].sort());
  assert.equal(new Set(kidsOf(keys)).size, 3);
  assert.equal(signing(keys).length, 3, 'all three sign');
  for (const key of keys) assert.equal(key.use, 'sig');
  const rows = await db<SigningKeyRow>('signing_keys');
  assert.deepEqual(rows.map((row) => row.retired_at), [null, null, null]);
  for (const row of rows) assert.equal(row.activates_at.getTime(), row.created_at.getTime(), 'active from creation');
  assert.deepEqual(await signingTimeline(db), expectedTimeline(keys));
});

test('a second load reuses the stored keys instead of generating new ones', async (t) => {
  const db = await isolatedStore(t);
  const keyEncryptionKey = randomBytes(32);
  const first = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  const second = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  assert.deepEqual(kidsOf(second.keys), kidsOf(first.keys));
  assert.deepEqual(second.keys.map((key) => key['d']).sort(), first.keys.map((key) => key['d']).sort(), 'the same private keys');
  assert.equal((await db('signing_keys')).length, 3);
});

test('instances starting at once create one key per algorithm, not one each', async (t) => {
  const db = await isolatedStore(t);
  const keyEncryptionKey = randomBytes(32);
  const loads = await Promise.all([1, 2, 3].map(() => loadSigningKeys(db, keyEncryptionKey, GRACE)));
  assert.equal((await db('signing_keys')).length, 3);
  for (const { keys } of loads) assert.deepEqual(kidsOf(keys), kidsOf(loads[0]!.keys));
});

test('a rotation is announced once committed; a refused one is not', async (t) => {
  const db = await isolatedStore(t);
  const keyEncryptionKey = randomBytes(32);
  const before = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  const announced: unknown[] = [];
  const bus = createEventBus({ clock: systemClock, onListenerError: (error) => assert.fail(error as Error) });
  bus.on('signing_key.rotated', (event) => void announced.push(event.payload));
  await assert.rejects(rotateSigningKeys(db, randomBytes(32), { ...LATER, events: bus }), WRONG_KEY_MESSAGE);
  assert.deepEqual(announced, []);
  const rotated = await rotateSigningKeys(db, keyEncryptionKey, { ...LATER, events: bus });
  assert.deepEqual(announced, [{ keys: rotated.map(({ alg, kid, activatesAt }) => ({ alg, kid, activatesAt })), retiredKids: rotated.flatMap((key) => key.retiredKids) }]);
  assert.deepEqual([...(announced[0] as { retiredKids: string[] }).retiredKids].sort(), kidsOf(before.keys), 'the keys it replaces');
});

test('a rotation publishes the new kids verify-only; the old keys sign until the new ones activate, then verify only until the grace period ends', async (t) => {
  const db = await isolatedStore(t);
  const keyEncryptionKey = randomBytes(32);
  const before = await loadSigningKeys(db, keyEncryptionKey, GRACE);

  const rotated = await rotateSigningKeys(db, keyEncryptionKey, LATER);
  assert.deepEqual(rotated.map((key) => key.alg), [...SIGNING_ALGORITHMS]);
  const [{ now }] = (await db.raw<{ rows: Array<{ now: Date }> }>('select now()')).rows;
  for (const key of rotated) {
    assert.deepEqual(key.retiredKids, [byAlg(before.keys, key.alg)], `${key.alg} supersedes the key it replaces`);
    assert.equal(key.pending, true);
    assert.ok(Math.abs(key.activatesAt.getTime() - now!.getTime() - DELAY * 1000) < 60_000, `${key.alg} activates keyActivationDelay from now`);
  }
  assert.deepEqual(await signingTimeline(db), expectedTimeline(before.keys, rotated), 'the old keys hand over to the new ones, one signer at a time');

  const pending = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  assert.equal(new Set(kidsOf(pending.keys)).size, 6, 'six distinct kids');
  assert.deepEqual(kidsOf(signing(pending.keys)), kidsOf(before.keys), 'the old keys still sign');
  assert.deepEqual(kidsOf(verifyOnly(pending.keys)), kidsOf(rotated), 'the new keys are published, verify-only');
  for (const key of verifyOnly(pending.keys)) assert.deepEqual(key.key_ops, ['verify']);
  assert.deepEqual(kidsOf(pending.keys.slice(0, 3)), kidsOf(before.keys), 'signing keys come first, so the provider picks them');

  await passTime(db, DELAY - 1);
  assert.deepEqual(kidsOf(signing((await loadSigningKeys(db, keyEncryptionKey, GRACE)).keys)), kidsOf(before.keys), 'a second before activation');
  await passTime(db, 1);
  const active = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  assert.deepEqual(kidsOf(signing(active.keys)), kidsOf(rotated), 'from activation the new keys sign');
  assert.deepEqual(kidsOf(verifyOnly(active.keys)), kidsOf(before.keys), 'and the old ones verify only');
  assert.deepEqual(kidsOf(active.keys.slice(0, 3)), kidsOf(rotated));
  assert.equal((await db('signing_keys')).length, 6, 'the load added nothing');

  // One minute before the grace period ends the old keys are still published; one second after, they are gone.
  await passTime(db, GRACE - 60);
  assert.equal((await loadSigningKeys(db, keyEncryptionKey, GRACE)).keys.length, 6);
  await passTime(db, 61);
  const expired = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  assert.deepEqual(kidsOf(expired.keys), kidsOf(rotated));
  assert.equal((await db('signing_keys')).length, 6, 'expired keys leave the JWKS, not the store');
});

test('a rotation with no delay (keys rotate --now) signs with the new keys at once; the old ones verify only', async (t) => {
  const db = await isolatedStore(t);
  const keyEncryptionKey = randomBytes(32);
  const before = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  const rotated = await rotateSigningKeys(db, keyEncryptionKey, NOW);
  for (const key of rotated) {
    assert.deepEqual(key.retiredKids, [byAlg(before.keys, key.alg)]);
    assert.equal(key.pending, false);
  }
  const after = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  assert.deepEqual(kidsOf(signing(after.keys)), kidsOf(rotated));
  assert.deepEqual(kidsOf(verifyOnly(after.keys)), kidsOf(before.keys));
  assert.deepEqual(await signingTimeline(db), expectedTimeline(rotated));
});

test('repeated rotations queue up: each key signs in turn, exactly one per algorithm at any instant', async (t) => {
  const db = await isolatedStore(t);
  const keyEncryptionKey = randomBytes(32);
  const original = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  const first = await rotateSigningKeys(db, keyEncryptionKey, LATER);
  await passTime(db, 100);
  const second = await rotateSigningKeys(db, keyEncryptionKey, LATER);
  for (const key of second) {
    assert.deepEqual(key.retiredKids, [byAlg(first, key.alg)], `${key.alg}: the original key already stops when the first rotation's key starts`);
  }
  assert.deepEqual(await signingTimeline(db), expectedTimeline(original.keys, first, second));

  await passTime(db, DELAY - 100);
  assert.deepEqual(kidsOf(signing((await loadSigningKeys(db, keyEncryptionKey, GRACE)).keys)), kidsOf(first));
  await passTime(db, 100);
  const last = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  assert.deepEqual(kidsOf(signing(last.keys)), kidsOf(second));
  assert.deepEqual(kidsOf(verifyOnly(last.keys)), kidsOf([...original.keys, ...first]), 'both earlier generations are still in their grace period');
  assert.equal((await db('signing_keys')).length, 9, 'the loads added nothing');
});

test('an emergency rotation during a pending one signs at once, and the pending keys never sign', async (t) => {
  const db = await isolatedStore(t);
  const keyEncryptionKey = randomBytes(32);
  const original = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  const pending = await rotateSigningKeys(db, keyEncryptionKey, LATER);
  const emergency = await rotateSigningKeys(db, keyEncryptionKey, NOW);
  for (const key of emergency) {
    assert.deepEqual(key.retiredKids.sort(), [byAlg(original.keys, key.alg), byAlg(pending, key.alg)].sort());
  }
  assert.deepEqual(await signingTimeline(db), expectedTimeline(emergency), 'nothing else signs, now or later');
  const jwks = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  assert.deepEqual(kidsOf(signing(jwks.keys)), kidsOf(emergency));
  assert.deepEqual(kidsOf(verifyOnly(jwks.keys)), kidsOf([...original.keys, ...pending]));
  await passTime(db, DELAY);
  assert.deepEqual(await signingTimeline(db), expectedTimeline(emergency), 'still, once the pending keys would have activated');
  assert.equal((await db('signing_keys')).length, 9);
});

test('an algorithm with no signing key gets one that signs at once, whatever the delay', async (t) => {
  const db = await isolatedStore(t);
  const keyEncryptionKey = randomBytes(32);
  const rotated = await rotateSigningKeys(db, keyEncryptionKey, LATER);
  for (const key of rotated) assert.deepEqual([key.pending, key.retiredKids], [false, []]);
  const jwks = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  assert.deepEqual(kidsOf(signing(jwks.keys)), kidsOf(rotated));
  assert.equal((await db('signing_keys')).length, 3, 'the load found every algorithm covered');
});

test('a load finds a pending key enough, and gives an algorithm with neither signing nor pending key a new signing key', async (t) => {
  const db = await isolatedStore(t);
  const keyEncryptionKey = randomBytes(32);
  const original = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  const rotated = await rotateSigningKeys(db, keyEncryptionKey, LATER);
  // Nothing signs PS256 now, but its new key will: left as it is. ES256 has neither any more.
  await db('signing_keys').where({ kid: byAlg(original.keys, 'PS256') }).update({ retired_at: db.fn.now() });
  await db('signing_keys').where({ kid: byAlg(rotated, 'ES256') }).delete();
  await db('signing_keys').where({ kid: byAlg(original.keys, 'ES256') }).update({ retired_at: db.fn.now() });
  const jwks = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  const added = signing(jwks.keys).filter((key) => key.alg === 'ES256');
  assert.equal(added.length, 1);
  assert.ok(!kidsOf([...original.keys, ...rotated]).includes(added[0]!.kid!), 'a new ES256 key');
  assert.deepEqual(signing(jwks.keys).filter((key) => key.alg === 'PS256'), []);
  assert.equal((await db('signing_keys').where({ alg: 'PS256' })).length, 2);
});

test('a wrong key-encryption key fails with a message naming KEY_ENCRYPTION_KEY, and rotation then adds nothing', async (t) => {
  const db = await isolatedStore(t);
  await loadSigningKeys(db, randomBytes(32), GRACE);
  const wrong = randomBytes(32);
  await assert.rejects(loadSigningKeys(db, wrong, GRACE), WRONG_KEY_MESSAGE);
  await assert.rejects(rotateSigningKeys(db, wrong, LATER), WRONG_KEY_MESSAGE);
  assert.equal((await db('signing_keys')).length, 3);
});

test('an activation delay that is not a number of seconds, 0 or more, is refused before the store is touched', async () => {
  for (const activationDelaySeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    await assert.rejects(rotateSigningKeys(undefined as never, randomBytes(32), { ...NOW, activationDelaySeconds }), RangeError, String(activationDelaySeconds));
  }
});

test('the private JWK is sealed at rest: neither column holds the private key', async (t) => {
  const db = await isolatedStore(t);
  const { keys } = await loadSigningKeys(db, randomBytes(32), GRACE);
  const rows = await db<SigningKeyRow>('signing_keys');
  for (const key of keys) {
    const d = key['d'];
    assert.ok(typeof d === 'string' && d.length > 20, `${key.alg} loads with its private key`);
    const row = rows.find((candidate) => candidate.kid === key.kid)!;
    assert.ok(!row.private_jwk_encrypted.includes(d), `${key.alg}: sealed column has no plaintext d`);
    assert.ok(!row.private_jwk_encrypted.includes('"kty"'), `${key.alg}: sealed column is not JSON`);
    assert.equal(row.public_jwk['d'], undefined, `${key.alg}: public column has no d`);
  }
});

test('a sealed key moved onto another row does not open (the kid is bound to the ciphertext)', async (t) => {
  const db = await isolatedStore(t);
  const keyEncryptionKey = randomBytes(32);
  await loadSigningKeys(db, keyEncryptionKey, GRACE);
  const [first, second] = await db<SigningKeyRow>('signing_keys').orderBy('kid');
  await db('signing_keys').where({ kid: second!.kid }).update({ private_jwk_encrypted: first!.private_jwk_encrypted });
  await assert.rejects(loadSigningKeys(db, keyEncryptionKey, GRACE), { message: new RegExp(`^signing key ${second!.kid} cannot be decrypted`) });
});

test('describeSigningKeys reports each key as pending, active or retired, when it signs, and when it leaves the JWKS', async (t) => {
  const db = await isolatedStore(t);
  const keyEncryptionKey = randomBytes(32);
  const before = await loadSigningKeys(db, keyEncryptionKey, GRACE);
  const rotated = await rotateSigningKeys(db, keyEncryptionKey, LATER);
  const states = async () => new Map((await describeSigningKeys(db, GRACE)).map((key) => [key.kid, key]));

  const pending = await states();
  assert.equal(pending.size, 6);
  for (const key of rotated) {
    const described = pending.get(key.kid)!;
    assert.deepEqual([described.state, described.activatesAt, described.retiredAt, described.publishedUntil, described.published], ['pending', key.activatesAt, undefined, undefined, true]);
    const old = pending.get(byAlg(before.keys, key.alg))!;
    assert.deepEqual([old.state, old.retiredAt, old.published], ['active', key.activatesAt, true], 'the old key signs until the new one activates');
    assert.equal(old.publishedUntil!.getTime(), key.activatesAt.getTime() + GRACE * 1000);
    assert.equal(old.activatesAt.getTime(), old.createdAt.getTime(), 'it has signed since it was created');
  }

  await passTime(db, DELAY);
  const active = await states();
  for (const kid of kidsOf(rotated)) assert.equal(active.get(kid)!.state, 'active');
  for (const kid of kidsOf(before.keys)) assert.deepEqual([active.get(kid)!.state, active.get(kid)!.published], ['retired', true]);

  await passTime(db, GRACE + 1);
  const expired = await states();
  for (const kid of kidsOf(before.keys)) assert.deepEqual([expired.get(kid)!.state, expired.get(kid)!.published], ['retired', false]);
  for (const kid of kidsOf(rotated)) assert.deepEqual([expired.get(kid)!.state, expired.get(kid)!.published], ['active', true]);
});
