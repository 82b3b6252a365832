import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { calculateJwkThumbprint } from 'jose';

import { createSoftwareKeys } from '../../sandbox/directory/software-keys.ts';

describe('createSoftwareKeys', () => {
  for (const [alg, kty] of [['PS256', 'RSA'], ['ES256', 'EC']] as const) {
    it(`makes a ${alg} signing key with a public JWKS keyed by thumbprint`, async () => {
      const { privateKey, publicJwk, jwks } = await createSoftwareKeys(alg);
      assert.equal(privateKey.type, 'private');
      assert.equal(publicJwk.kty, kty);
      assert.equal(publicJwk.alg, alg);
      assert.equal(publicJwk.use, 'sig');
      assert.equal(publicJwk.kid, await calculateJwkThumbprint(publicJwk));
      assert.equal('d' in publicJwk, false);
      assert.deepEqual(jwks, { keys: [publicJwk] });
    });
  }
});
