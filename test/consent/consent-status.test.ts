import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { ConsentFamily } from '../../src/consent/consent-kinds.ts';
import { assertTransition, canTransition, type ConsentStatus } from '../../src/consent/consent-status.ts';
import { ObError } from '../../src/openbanking/ob-error.ts';

const STATUSES: readonly ConsentStatus[] = ['AwaitingAuthorisation', 'Authorised', 'Rejected', 'Revoked', 'Consumed'];

/** Every move the Read/Write API v3.1.11 allows, per family; nothing else may happen. */
const ALLOWED: Record<ConsentFamily, Array<[ConsentStatus, ConsentStatus]>> = {
  ais: [['AwaitingAuthorisation', 'Authorised'], ['AwaitingAuthorisation', 'Rejected'], ['Authorised', 'Revoked']],
  cbpii: [['AwaitingAuthorisation', 'Authorised'], ['AwaitingAuthorisation', 'Rejected'], ['Authorised', 'Revoked']],
  pis: [['AwaitingAuthorisation', 'Authorised'], ['AwaitingAuthorisation', 'Rejected'], ['Authorised', 'Consumed']],
};

for (const family of Object.keys(ALLOWED) as ConsentFamily[]) {
  test(`${family}: exactly the standard's transitions, checked for every pair of statuses`, () => {
    const allowed = new Set(ALLOWED[family].map(([from, to]) => `${from}>${to}`));
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        assert.equal(canTransition(family, from, to), allowed.has(`${from}>${to}`), `${from} -> ${to}`);
      }
    }
  });
}

test('a refused move is UK.OBIE.Resource.InvalidConsentStatus naming both statuses', () => {
  assert.throws(() => assertTransition('pis', 'Authorised', 'Revoked'), (error: unknown) => {
    assert.ok(error instanceof ObError);
    assert.equal(error.status, 400);
    assert.equal(error.errors[0]!.ErrorCode, 'UK.OBIE.Resource.InvalidConsentStatus');
    assert.match(error.errors[0]!.Message, /Authorised.*Revoked/);
    return true;
  });
  assert.doesNotThrow(() => assertTransition('ais', 'Authorised', 'Revoked'));
});
