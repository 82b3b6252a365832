import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SIGNING_KEY_POLL_SECONDS } from '../../src/auth/keys/watch-signing-keys.ts';
import { defaults } from '../../src/config/defaults.ts';

test('a rotated key is published for longer than the instances take to notice it', () => {
  // Every running instance must serve the new kid in its JWKS before any instance signs with it.
  assert.ok(defaults.keyActivationDelay > 2 * SIGNING_KEY_POLL_SECONDS, `${defaults.keyActivationDelay} s vs a ${SIGNING_KEY_POLL_SECONDS} s poll`);
});

test('retired keys stay published longer than anything they signed lives', () => {
  const longestSigned = Math.max(defaults.ttl.idToken, defaults.ttl.accessToken);
  assert.ok(defaults.retiredKeyGrace > longestSigned);
});
