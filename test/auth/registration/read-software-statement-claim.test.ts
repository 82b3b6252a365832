import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { createSoftwareKeys, type SoftwareKeys } from '../../../sandbox/directory/software-keys.ts';
import { signRegistrationRequest } from '../../../sandbox/directory/sign-registration-request.ts';
import { readSoftwareStatementClaim } from '../../../src/auth/registration/read-software-statement-claim.ts';
import { assertOAuthErrorSync, issuer } from './registration-fixtures.ts';

describe('readSoftwareStatementClaim', () => {
  let keys: SoftwareKeys;
  before(async () => {
    keys = await createSoftwareKeys('ES256');
  });
  const sign = (metadata: Record<string, unknown>) => signRegistrationRequest(metadata, keys, { audience: issuer, softwareId: 'software-1' });

  it('returns the software_statement of a registration request without verifying it', async () => {
    assert.equal(readSoftwareStatementClaim(await sign({ software_statement: 'a.b.c' })), 'a.b.c');
  });

  it('rejects a request without a software_statement string', async () => {
    for (const metadata of [{}, { software_statement: '' }, { software_statement: { nested: true } }]) {
      const jwt = await sign(metadata);
      assertOAuthErrorSync(() => readSoftwareStatementClaim(jwt), 'invalid_software_statement', 'software_statement is required in the registration request');
    }
  });

  it('rejects a body that is not a JWT', () => {
    assertOAuthErrorSync(() => readSoftwareStatementClaim('{"software_statement":"a.b.c"}'), 'invalid_client_metadata', 'registration request is not a valid JWT');
  });
});
