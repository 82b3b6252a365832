import assert from 'node:assert/strict';
import { test } from 'node:test';

import { toAuditFields } from '../../src/audit/audit-entry.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';

const clock = fixedClock('2026-12-04T21:00:00.123Z');

test('an entry gets every field, null where it does not apply, and the clock\'s instant unless it has one', () => {
  assert.deepEqual(toAuditFields({ kind: 'admin', action: 'api.published', actor: 'ops-ann' }, clock), {
    at: new Date('2026-12-04T21:00:00.123Z'),
    kind: 'admin',
    action: 'api.published',
    actor: 'ops-ann',
    apiId: null,
    route: null,
    applicationId: null,
    clientId: null,
    customerId: null,
    consentId: null,
    status: null,
    payload: {},
  });
  const at = new Date('2026-12-04T20:59:59.001Z');
  const call = toAuditFields({ kind: 'call', action: 'GET /accounts', actor: 'tpp-1', at, apiId: 'api-aisp', route: 'GET /accounts', applicationId: 'app-1', clientId: 'tpp-1', customerId: 'cust-1', consentId: 'aac-1', status: 200, payload: { ok: true } }, clock);
  assert.deepEqual(call.at, at);
  assert.notEqual(call.at, at, 'a copy: the caller changing its Date later changes nothing');
  assert.deepEqual([call.apiId, call.route, call.applicationId, call.clientId, call.customerId, call.consentId, call.status], ['api-aisp', 'GET /accounts', 'app-1', 'tpp-1', 'cust-1', 'aac-1', 200]);
});

test('the payload becomes the JSON jsonb keeps: Dates as ISO strings, undefined members gone, NUL and lone surrogates as U+FFFD', () => {
  const fields = toAuditFields({
    kind: 'event',
    action: 'x.happened',
    actor: 'sys\u0000tem',
    route: 'GET /a\uD800',
    payload: { when: new Date('2026-01-01T00:00:00Z'), gone: undefined, list: [1, undefined, 'b\u0000'], 'k\u0000ey': '\uDC00', nested: { n: -0, big: 1e21, nan: Number.NaN } },
  }, clock);
  assert.equal(fields.actor, 'sys\uFFFDtem');
  assert.equal(fields.route, 'GET /a\uFFFD');
  assert.deepEqual(fields.payload, { when: '2026-01-01T00:00:00.000Z', list: [1, null, 'b\uFFFD'], 'k\uFFFDey': '\uFFFD', nested: { n: 0, big: 1e21, nan: null } });
  assert.deepEqual(toAuditFields({ kind: 'event', action: 'a', actor: 'b', payload: undefined }, clock).payload, {});
  assert.deepEqual(toAuditFields({ kind: 'event', action: 'a', actor: 'b', payload: ['x', 2] }, clock).payload, ['x', 2]);
});

test('an entry no store would take is a TypeError at once: unknown kind, invalid instant, a status that is not HTTP\'s', () => {
  const entry = { kind: 'call', action: 'GET /x', actor: 'a' } as const;
  assert.throws(() => toAuditFields({ ...entry, kind: 'login' as 'call' }, clock), { name: 'TypeError', message: /kind must be one of call, admin, event/ });
  assert.throws(() => toAuditFields({ ...entry, at: new Date('nonsense') }, clock), { name: 'TypeError', message: /valid instant/ });
  for (const status of [99, 600, 200.5, Number.NaN, 2 ** 31]) {
    assert.throws(() => toAuditFields({ ...entry, status }, clock), { name: 'TypeError', message: /HTTP status/ }, String(status));
  }
  assert.equal(toAuditFields({ ...entry, status: 599 }, clock).status, 599);
});
