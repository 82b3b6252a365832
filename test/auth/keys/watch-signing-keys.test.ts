import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { loadSigningKeys, rotateSigningKeys, type SigningJwks } from '../../../src/auth/keys/signing-keys.service.ts';
import { watchSigningKeys } from '../../../src/auth/keys/watch-signing-keys.ts';
import { createEventBus } from '../../../src/events/event-bus.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { storeKind } from '../../helpers/store.ts';
import { openIsolatedStore } from '../../helpers/isolated-store.ts';
import { passTime } from './key-timeline.ts';

const GRACE = 24 * 60 * 60;
const INTERVAL = 30;
const DELAY = 10 * 60;
const NOW = { activationDelaySeconds: 0, events: createEventBus({ clock: systemClock, onListenerError: (error) => assert.fail(error as Error) }) };

/**
 * A store with keys, and a watcher over it on a mocked clock. `look()` fires the timer once and
 * waits for that look to finish (stopping the watcher is the one way to wait for it), then starts
 * a fresh watcher from the keys in use, as a running server would carry on.
 */
async function watched(t: TestContext) {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const store = await openIsolatedStore();
  t.after(() => store.close());
  const keyEncryptionKey = randomBytes(32);
  let inUse = await loadSigningKeys(store.db, keyEncryptionKey, GRACE);
  const changes: SigningJwks[] = [];
  const errors: unknown[] = [];
  const options = {
    intervalSeconds: INTERVAL,
    graceSeconds: GRACE,
    keyEncryptionKey,
    onChange: (jwks: SigningJwks) => {
      changes.push(jwks);
      inUse = jwks;
    },
    onError: (error: unknown) => errors.push(error),
  };
  let stop = watchSigningKeys(store.db, inUse, options);
  t.after(() => stop());
  return {
    db: store.db,
    keyEncryptionKey,
    changes,
    errors,
    inUse: () => inUse,
    async look() {
      t.mock.timers.tick(INTERVAL * 1000);
      await stop();
      stop = watchSigningKeys(store.db, inUse, options);
    },
    /** Stops the watcher once any look in progress has finished. */
    stop: () => stop(),
  };
}

test(`an unchanged store leaves the keys in use alone (${storeKind})`, async (t) => {
  const watch = await watched(t);
  await watch.look();
  await watch.look();
  assert.deepEqual(watch.changes, []);
  assert.deepEqual(watch.errors, []);
});

test('nothing is looked at before the interval has passed', async (t) => {
  const watch = await watched(t);
  await rotateSigningKeys(watch.db, watch.keyEncryptionKey, NOW);
  t.mock.timers.tick(INTERVAL * 1000 - 1);
  await watch.stop();
  assert.deepEqual(watch.changes, []);
});

test('a rotation is published at the next look, and its keys take over signing at the first look after they activate', async (t) => {
  const watch = await watched(t);
  const before = watch.inUse().keys.map((key) => key.kid).sort();
  const rotated = (await rotateSigningKeys(watch.db, watch.keyEncryptionKey, { ...NOW, activationDelaySeconds: DELAY })).map((key) => key.kid).sort();
  const signers = (index: number) => watch.changes[index]!.keys.filter((key) => !key.key_ops).map((key) => key.kid).sort();
  const verifiers = (index: number) => watch.changes[index]!.keys.filter((key) => key.key_ops).map((key) => key.kid).sort();

  await watch.look();
  assert.equal(watch.changes.length, 1);
  assert.deepEqual([signers(0), verifiers(0)], [before, rotated], 'published, verify-only: the old keys sign on');
  await watch.look();
  assert.equal(watch.changes.length, 1, 'nothing more until the activation');

  await passTime(watch.db, DELAY);
  await watch.look();
  assert.equal(watch.changes.length, 2);
  assert.deepEqual([signers(1), verifiers(1)], [rotated, before], 'the new keys sign, the old ones verify');
  await watch.look();
  assert.equal(watch.changes.length, 2, 'handed over once');
  assert.deepEqual(watch.errors, []);
});

test('a rotation with no delay is handed over at the next look: new keys sign, the old ones verify', async (t) => {
  const watch = await watched(t);
  const before = watch.inUse().keys.map((key) => key.kid).sort();
  const rotated = await rotateSigningKeys(watch.db, watch.keyEncryptionKey, NOW);
  await watch.look();
  assert.equal(watch.changes.length, 1);
  const [jwks] = watch.changes;
  assert.deepEqual(jwks!.keys.filter((key) => !key.key_ops).map((key) => key.kid).sort(), rotated.map((key) => key.kid).sort());
  assert.deepEqual(jwks!.keys.filter((key) => key.key_ops).map((key) => key.kid).sort(), before);
  await watch.look();
  assert.equal(watch.changes.length, 1, 'handed over once');
});

test('a retired key reaching the end of its grace period is dropped at the next look', async (t) => {
  const watch = await watched(t);
  const rotated = await rotateSigningKeys(watch.db, watch.keyEncryptionKey, NOW);
  await watch.look();
  await watch.db('signing_keys').whereNotNull('retired_at').update({ retired_at: watch.db.raw(`now() - make_interval(secs => ?)`, [GRACE + 1]) });
  await watch.look();
  assert.equal(watch.changes.length, 2);
  assert.deepEqual(watch.changes[1]!.keys.map((key) => key.kid).sort(), rotated.map((key) => key.kid).sort());
});

test('a reload that fails is reported, keeps the keys in use, and is tried again at the next look', async (t) => {
  const watch = await watched(t);
  await rotateSigningKeys(watch.db, watch.keyEncryptionKey, NOW);
  const [newest] = await watch.db('signing_keys').whereNull('retired_at').orderBy('kid');
  const sealed = newest.private_jwk_encrypted as string;
  await watch.db('signing_keys').where({ kid: newest.kid }).update({ private_jwk_encrypted: `${sealed.slice(0, -4)}AAAA` });
  await watch.look();
  assert.equal(watch.changes.length, 0);
  assert.equal(watch.errors.length, 1);
  assert.match((watch.errors[0] as Error).message, new RegExp(`^signing key ${newest.kid} cannot be decrypted`));

  await watch.db('signing_keys').where({ kid: newest.kid }).update({ private_jwk_encrypted: sealed });
  await watch.look();
  assert.equal(watch.changes.length, 1);
});

test('a stopped watcher looks no more', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const store = await openIsolatedStore();
  t.after(() => store.close());
  const keyEncryptionKey = randomBytes(32);
  let changed = 0;
  const stop = watchSigningKeys(store.db, await loadSigningKeys(store.db, keyEncryptionKey, GRACE), { intervalSeconds: INTERVAL, graceSeconds: GRACE, keyEncryptionKey, onChange: () => { changed++; }, onError: (error) => assert.fail(String(error)) });
  await stop();
  await rotateSigningKeys(store.db, keyEncryptionKey, NOW);
  t.mock.timers.tick(INTERVAL * 1000);
  await sleep(500);
  assert.equal(changed, 0);
});

test('a non-positive interval is refused at once', async () => {
  assert.throws(() => watchSigningKeys(undefined as never, { keys: [] }, { intervalSeconds: 0, graceSeconds: GRACE, keyEncryptionKey: randomBytes(32), onChange: () => assert.fail('no change expected'), onError: () => assert.fail('no look expected') }), RangeError);
});
