import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { base64url, CompactSign, generateKeyPair, importJWK, SignJWT } from 'jose';

import { verifySoftwareStatement } from '../../../src/auth/registration/verify-software-statement.ts';
import { assertOAuthError, createRegistrationFixture, type RegistrationFixture } from './registration-fixtures.ts';

// A fixed clock: 2025-06-15T15:06:40Z.
const iat = 1_750_000_000;
const now = new Date(iat * 1000 + 60_000);

describe('verifySoftwareStatement', () => {
  let fixture: RegistrationFixture;
  before(async () => {
    fixture = await createRegistrationFixture();
  });
  after(() => fixture.cleanUp());

  const issue = (claims: Record<string, unknown> = {}) => fixture.directory.issueSoftwareStatement({ ...fixture.claims, iat, ...claims });

  it('returns the claims of a statement the sandbox directory issued', async () => {
    const ssa = await verifySoftwareStatement(await issue(), fixture.directories, { now });
    assert.equal(ssa.software_id, 'software-1');
    assert.equal(ssa.iss, 'Portcullis Sandbox Directory');
    assert.deepEqual(ssa.software_roles, ['AISP', 'PISP']);
    assert.deepEqual(ssa.software_jwks, fixture.softwareKeys.jwks);
    assert.equal(ssa.org_status, 'Active');
  });

  it('keeps claims it does not know and turns a numeric software_version into a string', async () => {
    const ssa = await verifySoftwareStatement(await issue({ software_version: 1.5, ob_registry_tos: 'https://directory.example/tos' }), fixture.directories, { now });
    assert.equal(ssa.software_version, '1.5');
    assert.equal(ssa.ob_registry_tos, 'https://directory.example/tos');
  });

  it('accepts a statement years old when it has no exp and no maxAgeSeconds is set', async () => {
    const ssa = await verifySoftwareStatement(await issue(), fixture.directories, { now: new Date((iat + 3 * 365 * 86_400) * 1000) });
    assert.equal(ssa.software_id, 'software-1');
  });

  it('rejects a statement signed by a key no trusted directory holds as unapproved', async () => {
    const { privateKey } = await generateKeyPair('PS256');
    const forged = await new SignJWT({ ...fixture.claims, iss: 'Portcullis Sandbox Directory', iat, jti: 'forged', org_id: 'o', org_name: 'O' })
      .setProtectedHeader({ alg: 'PS256', kid: 'attacker-key' })
      .sign(privateKey);
    await assertOAuthError(verifySoftwareStatement(forged, fixture.directories, { now }), 'unapproved_software_statement', 'software_statement is not signed by a trusted directory key');
  });

  it('rejects a statement whose payload was changed after signing', async () => {
    const [header, , signature] = (await issue()).split('.');
    const payload = base64url.encode(JSON.stringify({ ...fixture.claims, iss: 'x', iat, jti: 'j', org_id: 'o', org_name: 'O', software_roles: ['AISP', 'PISP', 'CBPII'] }));
    await assertOAuthError(verifySoftwareStatement(`${header}.${payload}.${signature}`, fixture.directories, { now }), 'invalid_software_statement', 'software_statement signature is invalid');
  });

  it('rejects a statement past its exp', async () => {
    const ssa = await issue({ exp: iat + 3600 });
    await assertOAuthError(verifySoftwareStatement(ssa, fixture.directories, { now: new Date((iat + 3600 + 31) * 1000) }), 'invalid_software_statement', 'software_statement has expired');
  });

  it('accepts a statement within the 30 second clock tolerance of its exp', async () => {
    const ssa = await issue({ exp: iat + 3600 });
    const verified = await verifySoftwareStatement(ssa, fixture.directories, { now: new Date((iat + 3600 + 29) * 1000) });
    assert.equal(verified.exp, iat + 3600);
  });

  it('rejects a statement older than maxAgeSeconds', async () => {
    await assertOAuthError(
      verifySoftwareStatement(await issue(), fixture.directories, { now: new Date((iat + 86_400 + 31) * 1000), maxAgeSeconds: 86_400 }),
      'invalid_software_statement',
      'software_statement was issued more than 86400 seconds ago',
    );
  });

  it('rejects a statement before its nbf', async () => {
    await assertOAuthError(verifySoftwareStatement(await issue({ nbf: iat + 3600 }), fixture.directories, { now }), 'invalid_software_statement', 'software_statement nbf claim check failed');
  });

  it('rejects a signed payload that is not a JSON object', async () => {
    const { privateKey, kid } = fixture.directoryKey;
    const ssa = await new CompactSign(new TextEncoder().encode('[1, 2]')).setProtectedHeader({ alg: 'PS256', kid }).sign(privateKey);
    await assertOAuthError(verifySoftwareStatement(ssa, fixture.directories, { now }), 'invalid_software_statement', 'software_statement is malformed: JWT Claims Set must be a top-level JSON object');
  });

  it('rejects a statement issued in the future', async () => {
    await assertOAuthError(verifySoftwareStatement(await issue({ iat: iat + 120 }), fixture.directories, { now }), 'invalid_software_statement', 'software_statement iat is in the future');
  });

  it('rejects alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', kid: 'k' }));
    const payload = base64url.encode(JSON.stringify({ ...fixture.claims, iat }));
    await assertOAuthError(verifySoftwareStatement(`${header}.${payload}.`, fixture.directories, { now }), 'invalid_software_statement', 'software_statement alg "none" is not allowed; use PS256 or ES256');
  });

  it('rejects HS256, even keyed with the directory public key', async () => {
    const publicJwk = JSON.parse(await readFile(fixture.directory.jwksPath, 'utf8')).keys[0];
    const hs256 = await new SignJWT({ ...fixture.claims, iat })
      .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid })
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    await assertOAuthError(verifySoftwareStatement(hs256, fixture.directories, { now }), 'invalid_software_statement', 'software_statement alg "HS256" is not allowed; use PS256 or ES256');
  });

  it('rejects RS256, even signed with the directory key itself', async () => {
    const { alg: _alg, ...privateJwk } = JSON.parse(await readFile(join(fixture.certsDir, 'directory', 'signing-key.json'), 'utf8'));
    const rs256 = await new SignJWT({ ...fixture.claims, iat })
      .setProtectedHeader({ alg: 'RS256', kid: privateJwk.kid })
      .sign(await importJWK(privateJwk, 'RS256'));
    await assertOAuthError(verifySoftwareStatement(rs256, fixture.directories, { now }), 'invalid_software_statement', 'software_statement alg "RS256" is not allowed; use PS256 or ES256');
  });

  it('rejects a statement without kid', async () => {
    const ssa = await fixture.signAsDirectory({ ...fixture.claims, iat }, { kid: undefined });
    await assertOAuthError(verifySoftwareStatement(ssa, fixture.directories, { now }), 'invalid_software_statement', 'software_statement header must carry a kid');
  });

  it('rejects something that is not a JWS, even when it is not a string', async () => {
    for (const value of ['not-a-jwt', 42 as unknown as string]) {
      await assertOAuthError(verifySoftwareStatement(value, fixture.directories, { now }), 'invalid_software_statement', 'software_statement is not a compact JWS');
    }
  });

  it('rejects a statement without software_id', async () => {
    const { software_id: _softwareId, ...claims } = fixture.claims;
    const ssa = await fixture.signAsDirectory({ ...claims, iss: 'Portcullis Sandbox Directory', iat, jti: 'j', org_id: 'o', org_name: 'O' });
    await assertOAuthError(
      verifySoftwareStatement(ssa, fixture.directories, { now }),
      'invalid_software_statement',
      'software_statement claims are invalid: software_id: Invalid input: expected string, received undefined',
    );
  });

  it('rejects roles outside AISP, PISP and CBPII, and an empty role list', async () => {
    await assertOAuthError(
      verifySoftwareStatement(await issue({ software_roles: ['AISP', 'ASPSP'] }), fixture.directories, { now }),
      'invalid_software_statement',
      'software_statement claims are invalid: software_roles.1: Invalid option: expected one of "AISP"|"PISP"|"CBPII"',
    );
    await assertOAuthError(
      verifySoftwareStatement(await issue({ software_roles: [] }), fixture.directories, { now }),
      'invalid_software_statement',
      'software_statement claims are invalid: software_roles: must grant at least one role',
    );
  });

  it('rejects an http redirect URI and one with a fragment', async () => {
    await assertOAuthError(
      verifySoftwareStatement(await issue({ software_redirect_uris: ['http://tpp.example/callback'] }), fixture.directories, { now }),
      'invalid_software_statement',
      'software_statement claims are invalid: software_redirect_uris.0: must be an absolute https URL',
    );
    await assertOAuthError(
      verifySoftwareStatement(await issue({ software_redirect_uris: ['https://tpp.example/callback#x'] }), fixture.directories, { now }),
      'invalid_software_statement',
      'software_statement claims are invalid: software_redirect_uris.0: must not contain a fragment',
    );
  });

  it('rejects a statement with no software keys, or with both forms', async () => {
    const { software_jwks: _jwks, ...withoutKeys } = fixture.claims as typeof fixture.claims & { software_jwks: unknown };
    await assertOAuthError(
      verifySoftwareStatement(await fixture.signAsDirectory({ ...withoutKeys, iss: 'd', iat, jti: 'j', org_id: 'o', org_name: 'O' }), fixture.directories, { now }),
      'invalid_software_statement',
      'software_statement claims are invalid: software_jwks_endpoint: one of software_jwks_endpoint or software_jwks is required',
    );
    await assertOAuthError(
      verifySoftwareStatement(await issue({ software_jwks_endpoint: 'https://tpp.example/jwks' }), fixture.directories, { now }),
      'invalid_software_statement',
      'software_statement claims are invalid: software_jwks: software_jwks_endpoint and software_jwks must not both be present',
    );
  });

  it('rejects a revoked or withdrawn organisation as unapproved', async () => {
    for (const status of ['Revoked', 'Withdrawn']) {
      await assertOAuthError(
        verifySoftwareStatement(await issue({ org_status: status }), fixture.directories, { now }),
        'unapproved_software_statement',
        `software_statement org_status is ${status}; only Active organisations may register`,
      );
    }
  });
});
