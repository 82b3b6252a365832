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

test('the store limits hold together: a silent database is reported as such, a slow statement is cancelled by the server first', () => {
  const { connectTimeout, acquireTimeout, statementTimeout, queryTimeout } = defaults.store;
  for (const [name, seconds] of Object.entries(defaults.store)) assert.ok(Number.isInteger(seconds) && seconds > 0, `store.${name}`);
  // Past the connect timeout, a connection that never opens fails with its own error, not the pool's.
  assert.ok(acquireTimeout > connectTimeout);
  // PostgreSQL cancels a slow statement (57014) and keeps the connection before the client gives up on it.
  assert.ok(queryTimeout > statementTimeout);
  // An outage is answered within a few seconds, never after knex's 60 s default.
  assert.ok(Math.max(acquireTimeout, queryTimeout) <= 5);
});

test('a request may take as long as its headers: headersTimeout is at most requestTimeout', () => {
  // Node refuses to start a server otherwise (ERR_OUT_OF_RANGE).
  assert.ok(defaults.listeners.headersTimeout <= defaults.listeners.requestTimeout);
});

test('timeouts are enforced well within their own length', () => {
  const shortest = Math.min(defaults.listeners.headersTimeout, defaults.listeners.requestTimeout);
  assert.ok(defaults.listeners.timeoutCheckInterval <= shortest / 5, `checked every ${defaults.listeners.timeoutCheckInterval} s`);
});
