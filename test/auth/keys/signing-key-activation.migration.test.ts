import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import type { SigningKeyRow } from '../../../src/auth/keys/signing-key.store.ts';
import { loadSigningKeys } from '../../../src/auth/keys/signing-keys.service.ts';
import { storeKind } from '../../helpers/store.ts';
import { openIsolatedStore } from '../../helpers/isolated-store.ts';

const MIGRATION = { directory: fileURLToPath(new URL('../../../migrations', import.meta.url)), loadExtensions: ['.ts'], name: '20261124110000_add_signing_key_activation.ts' };

// In a store of its own: taking the column away from the shared test database would break every
// server other test files run at the same time.
test(`activates_at: down drops it; up gives keys stored before it their creation time, and new rows the time they are stored (${storeKind})`, async (t) => {
  const store = await openIsolatedStore();
  t.after(() => store.close());
  const { db } = store;
  await loadSigningKeys(db, randomBytes(32), 60);
  await db('signing_keys').update({ created_at: db.raw(`created_at - interval '3 days'`) });

  await db.migrate.down(MIGRATION);
  assert.equal('activates_at' in (await db('signing_keys').columnInfo()), false);
  const stored: Array<{ kid: string; created_at: Date }> = await db('signing_keys').select('kid', 'created_at');
  assert.equal(stored.length, 3, 'the keys stay');

  await db.migrate.up(MIGRATION);
  const column = (await db('signing_keys').columnInfo())['activates_at']!;
  assert.equal(column.nullable, false);
  assert.match(String(column.defaultValue), /now\(\)|CURRENT_TIMESTAMP/i);
  const migrated = await db<SigningKeyRow>('signing_keys').select('kid', 'created_at', 'activates_at');
  for (const { kid, created_at } of stored) {
    assert.equal(migrated.find((row) => row.kid === kid)!.activates_at.getTime(), created_at.getTime(), `${kid} has signed since it was created`);
  }

  const [added] = await db('signing_keys').insert({ kid: 'probe', alg: 'PS256', public_jwk: {}, private_jwk_encrypted: 'x' }, ['created_at', 'activates_at']);
  assert.equal(added.activates_at.getTime(), added.created_at.getTime(), 'a row that names no activation is active from when it is stored');
});
