import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { jwtVerify } from 'jose';

import { createSoftwareKeys } from '../../sandbox/directory/software-keys.ts';
import { signRegistrationRequest } from '../../sandbox/directory/sign-registration-request.ts';

describe('signRegistrationRequest', () => {
  it('signs the metadata as a UK DCR request JWT for the audience, issued by the software', async () => {
    const keys = await createSoftwareKeys('ES256');
    const metadata = { redirect_uris: ['https://tpp.example/callback'], software_statement: 'a.b.c' };
    const jwt = await signRegistrationRequest(metadata, keys, { audience: 'https://as.test', softwareId: 'software-1' });
    const { payload, protectedHeader } = await jwtVerify(jwt, keys.publicJwk);
    assert.deepEqual(protectedHeader, { alg: 'ES256', kid: keys.publicJwk.kid, typ: 'JWT' });
    const { iat, exp, jti, ...claims } = payload;
    assert.deepEqual(claims, { ...metadata, iss: 'software-1', aud: 'https://as.test' });
    assert.equal(exp, (iat as number) + 300);
    assert.equal(typeof jti, 'string');
  });

  it('takes another lifetime', async () => {
    const keys = await createSoftwareKeys('ES256');
    const jwt = await signRegistrationRequest({}, keys, { audience: 'https://as.test', softwareId: 'software-1', expiresIn: '30s' });
    const { payload } = await jwtVerify(jwt, keys.publicJwk);
    assert.equal(payload.exp, (payload.iat as number) + 30);
  });
});
