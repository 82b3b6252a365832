import assert from 'node:assert/strict';
import { test } from 'node:test';

import { newSession, openSession, renewSession, sealSession, SESSION_TTL_SECONDS } from '../../src/consent/dashboard/dashboard-session.ts';

const SECRET = Buffer.alloc(32, 'dashboard-session-test');
const NOW = 1_795_520_000;

test('a sealed session opens under its secret until it expires, and not from that second on', () => {
  const session = newSession('cust-0001', NOW);
  assert.equal(session.expiresAt, NOW + SESSION_TTL_SECONDS);
  assert.equal(SESSION_TTL_SECONDS, 15 * 60);
  assert.match(session.id, /^[\w-]{22}$/);
  const sealed = sealSession(SECRET, session);
  assert.deepEqual(openSession(SECRET, sealed, NOW), session);
  assert.deepEqual(openSession(SECRET, sealed, session.expiresAt - 1), session);
  assert.equal(openSession(SECRET, sealed, session.expiresAt), undefined);
});

test('an anonymous session has no customer, and each session a new id', () => {
  const anonymous = newSession(undefined, NOW);
  assert.equal('customerId' in anonymous, false);
  assert.deepEqual(openSession(SECRET, sealSession(SECRET, anonymous), NOW), anonymous);
  assert.notEqual(newSession('cust-0001', NOW).id, newSession('cust-0001', NOW).id);
});

test('renewing moves the expiry, keeping the id (and so the CSRF tokens) and the customer', () => {
  const session = newSession('cust-0001', NOW);
  assert.deepEqual(renewSession(session, NOW + 600), { ...session, expiresAt: NOW + 600 + SESSION_TTL_SECONDS });
});

test('another secret, a changed payload or tag, or a malformed value opens nothing', () => {
  const sealed = sealSession(SECRET, newSession('cust-0001', NOW));
  const [payload, tag] = sealed.split('.') as [string, string];
  assert.equal(openSession(Buffer.alloc(32, 'another'), sealed, NOW), undefined);
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), customerId: 'cust-0002' })).toString('base64url');
  assert.equal(openSession(SECRET, `${forged}.${tag}`, NOW), undefined, 'another customer under the old tag');
  const flipped = `${tag.slice(0, -2)}${tag.at(-2) === 'A' ? 'B' : 'A'}${tag.at(-1)}`;
  assert.equal(openSession(SECRET, `${payload}.${flipped}`, NOW), undefined, 'one changed character of the tag');
  for (const value of [undefined, '', payload, `${payload}.`, `.${tag}`, `${sealed}.x`, `${payload}.${tag.slice(1)}`]) {
    assert.equal(openSession(SECRET, value, NOW), undefined, String(value));
  }
});

test('a correctly sealed value of the wrong shape opens nothing', () => {
  for (const value of [null, [], 'text', { id: '', expiresAt: NOW + 60 }, { id: 'a', expiresAt: 'soon' }, { id: 'a', expiresAt: NOW + 60, customerId: 7 }, { id: 'a', expiresAt: NOW + 60, customerId: '' }]) {
    assert.equal(openSession(SECRET, sealSession(SECRET, value as never), NOW), undefined, JSON.stringify(value));
  }
});
