import assert from 'node:assert/strict';
import { test } from 'node:test';

import { requestHash } from '../../src/openbanking/request-hash.ts';

test('equal bodies have one fingerprint whatever their key order or number spelling (RFC 8785)', () => {
  const body = { Data: { Initiation: { InstructedAmount: { Amount: '10.00', Currency: 'GBP' }, Count: 1 } }, Risk: {} };
  const reordered = JSON.parse('{"Risk":{},"Data":{"Initiation":{"Count":1.0,"InstructedAmount":{"Currency":"GBP","Amount":"10.00"}}}}') as unknown;
  assert.equal(requestHash(reordered), requestHash(body));
  assert.match(requestHash(body), /^[\w-]{43}$/, 'base64url SHA-256');
});

test('any change of a value changes it', () => {
  const body = { Data: { Permissions: ['ReadBalances', 'ReadAccountsBasic'] } };
  for (const other of [{ Data: { Permissions: ['ReadAccountsBasic', 'ReadBalances'] } }, { Data: { Permissions: ['ReadBalances'] } }, { Data: { Permissions: ['ReadBalances', 'ReadAccountsBasic'] }, Risk: {} }]) {
    assert.notEqual(requestHash(other), requestHash(body), JSON.stringify(other));
  }
});
