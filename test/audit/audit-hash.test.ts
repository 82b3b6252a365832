import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';

import canonicalize from 'canonicalize';

import { toAuditFields, type AuditFields } from '../../src/audit/audit-entry.ts';
import { canonicalAuditFields, GENESIS_HASH, hashAuditEntry } from '../../src/audit/audit-hash.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';

const fields = toAuditFields({ kind: 'call', action: 'GET /accounts', actor: 'tpp-1', clientId: 'tpp-1', status: 200, payload: { b: 1, a: [true, null] } }, fixedClock('2026-12-04T21:00:00Z'));

test('the hash is SHA-256 of the previous hash followed by the RFC 8785 JSON of the entry with its seq', () => {
  const canonical = '{"action":"GET /accounts","actor":"tpp-1","apiId":null,"applicationId":null,"at":"2026-12-04T21:00:00.000Z","clientId":"tpp-1","consentId":null,"customerId":null,"kind":"call","payload":{"a":[true,null],"b":1},"route":null,"seq":1,"status":200}';
  assert.equal(hashAuditEntry(GENESIS_HASH, 1, fields), createHash('sha256').update(GENESIS_HASH + canonical).digest('hex'));
  assert.match(GENESIS_HASH, /^0{64}$/);
});

test('key order in the payload does not matter; every field, the seq and the previous hash do', () => {
  const base = hashAuditEntry(GENESIS_HASH, 1, fields);
  assert.equal(hashAuditEntry(GENESIS_HASH, 1, { ...fields, payload: { a: [true, null], b: 1 } }), base);
  const changes: Array<Partial<AuditFields>> = [
    { at: new Date('2026-12-04T21:00:00.001Z') }, { kind: 'admin' }, { action: 'GET /accounts/1' }, { actor: 'tpp-2' }, { apiId: 'api' }, { route: 'r' },
    { applicationId: 'app' }, { clientId: null }, { customerId: 'c' }, { consentId: 'aac' }, { status: 201 }, { payload: { b: 1, a: [true] } },
  ];
  for (const change of changes) assert.notEqual(hashAuditEntry(GENESIS_HASH, 1, { ...fields, ...change }), base, JSON.stringify(change));
  assert.notEqual(hashAuditEntry(GENESIS_HASH, 2, fields), base);
  assert.notEqual(hashAuditEntry('1'.repeat(64), 1, fields), base);
});

test('the seq goes before the last member even when the payload holds the same text, or the status is null', () => {
  const tricky = toAuditFields({ kind: 'admin', action: 'api.updated', actor: 'ops', payload: { note: ',"status":500}', status: 1 } }, fixedClock('2026-12-04T21:00:00Z'));
  const canonical = '{"action":"api.updated","actor":"ops","apiId":null,"applicationId":null,"at":"2026-12-04T21:00:00.000Z","clientId":null,"consentId":null,"customerId":null,"kind":"admin","payload":{"note":",\\"status\\":500}","status":1},"route":null,"seq":42,"status":null}';
  assert.equal(hashAuditEntry(GENESIS_HASH, 42, tricky), createHash('sha256').update(GENESIS_HASH + canonical).digest('hex'));
});

test('the canonical JSON written out member by member is what an RFC 8785 canonicalizer makes of the whole entry', () => {
  const clock = fixedClock('2026-12-04T21:00:00.007Z');
  const entries = [
    fields,
    toAuditFields({ kind: 'admin', action: 'api.updated', actor: 'ops' }, clock),
    toAuditFields({
      kind: 'call', action: 'POST /a "quoted" \\ back\nslash', actor: 'tpp-é-😀', apiId: 'api-1', route: '/a/{Id}', applicationId: 'app\u0001', clientId: 'Z-upper',
      customerId: 'cust\u2028', consentId: 'aac-\uD800', status: 599, payload: { Z: 1, a: { '\u00e9': [1.5, -0, 1e21, 'x'], b: null }, '': '\u0000' },
    }, clock),
  ];
  for (const entry of entries) {
    const { at, ...rest } = entry;
    assert.equal(canonicalAuditFields(entry), canonicalize({ ...rest, at: at.toISOString() }));
  }
});
