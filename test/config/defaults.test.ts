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

test('a request may take as long as its headers: headersTimeout is at most requestTimeout', () => {
  // Node refuses to start a server otherwise (ERR_OUT_OF_RANGE).
  assert.ok(defaults.listeners.headersTimeout <= defaults.listeners.requestTimeout);
});

test('timeouts are enforced well within their own length', () => {
  const shortest = Math.min(defaults.listeners.headersTimeout, defaults.listeners.requestTimeout);
  assert.ok(defaults.listeners.timeoutCheckInterval <= shortest / 5, `checked every ${defaults.listeners.timeoutCheckInterval} s`);
});
