import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { base64url, SignJWT, type FetchImplementation } from 'jose';

import { createSoftwareKeys, type SoftwareKeys } from '../../../sandbox/directory/software-keys.ts';
import { signRegistrationRequest } from '../../../sandbox/directory/sign-registration-request.ts';
import type { SoftwareStatement } from '../../../src/auth/registration/software-statement.schema.ts';
import { verifyRegistrationRequest } from '../../../src/auth/registration/verify-registration-request.ts';
import { verifySoftwareStatement } from '../../../src/auth/registration/verify-software-statement.ts';
import { assertOAuthError, createRegistrationFixture, issuer, type RegistrationFixture } from './registration-fixtures.ts';

const metadata = {
  redirect_uris: ['https://tpp.example/callback'],
  token_endpoint_auth_method: 'private_key_jwt',
  scope: 'openid accounts',
};

describe('verifyRegistrationRequest', () => {
  let fixture: RegistrationFixture;
  let ssaJwt: string;
  let ssa: SoftwareStatement;
  let otherKeys: SoftwareKeys;
  before(async () => {
    fixture = await createRegistrationFixture();
    ssaJwt = await fixture.directory.issueSoftwareStatement(fixture.claims);
    ssa = await verifySoftwareStatement(ssaJwt, fixture.directories);
    otherKeys = await createSoftwareKeys('PS256');
  });
  after(() => fixture.cleanUp());

  const sign = (options: { audience?: string; softwareId?: string; keys?: SoftwareKeys } = {}) =>
    signRegistrationRequest({ ...metadata, software_statement: ssaJwt }, options.keys ?? fixture.softwareKeys, {
      audience: options.audience ?? issuer,
      softwareId: options.softwareId ?? 'software-1',
    });

  it('returns the claims of a request signed with a key from software_jwks', async () => {
    const claims = await verifyRegistrationRequest(await sign(), ssa, { audience: issuer });
    assert.deepEqual(claims.redirect_uris, metadata.redirect_uris);
    assert.equal(claims.software_statement, ssaJwt);
    assert.equal(claims.iss, 'software-1');
    assert.equal(claims.aud, issuer);
  });

  it('accepts ES256', async () => {
    const keys = await createSoftwareKeys('ES256');
    const claims = await verifyRegistrationRequest(await sign({ keys }), { ...ssa, software_jwks: keys.jwks }, { audience: issuer });
    assert.equal(claims.iss, 'software-1');
  });

  it('fetches software_jwks_endpoint through the injected fetch', async () => {
    const fetched: string[] = [];
    const fetch: FetchImplementation = async (url) => {
      fetched.push(url);
      return Response.json(fixture.softwareKeys.jwks);
    };
    const { software_jwks: _jwks, ...withEndpoint } = ssa;
    const claims = await verifyRegistrationRequest(await sign(), { ...withEndpoint, software_jwks_endpoint: 'https://tpp.example/jwks' }, { audience: issuer, fetch });
    assert.equal(claims.iss, 'software-1');
    assert.deepEqual(fetched, ['https://tpp.example/jwks']);
  });

  it('blames the software statement when software_jwks_endpoint cannot be fetched', async () => {
    const fetch: FetchImplementation = async () => new Response('not found', { status: 404 });
    const { software_jwks: _jwks, ...withEndpoint } = ssa;
    await assertOAuthError(
      verifyRegistrationRequest(await sign(), { ...withEndpoint, software_jwks_endpoint: 'https://tpp.example/jwks' }, { audience: issuer, fetch }),
      'invalid_software_statement',
      'software_jwks_endpoint could not be fetched',
    );
  });

  it('rejects a request made for another authorization server', async () => {
    await assertOAuthError(verifyRegistrationRequest(await sign({ audience: 'https://other-bank.test' }), ssa, { audience: issuer }), 'invalid_client_metadata', `registration request aud must be ${issuer}`);
  });

  it('rejects a request whose iss is not the software_id', async () => {
    await assertOAuthError(
      verifyRegistrationRequest(await sign({ softwareId: 'software-2' }), ssa, { audience: issuer }),
      'invalid_client_metadata',
      'registration request iss must be the software_id of the software statement',
    );
  });

  it('rejects an expired request', async () => {
    const sixMinutesLater = new Date(Date.now() + 6 * 60_000);
    await assertOAuthError(verifyRegistrationRequest(await sign(), ssa, { audience: issuer, now: sixMinutesLater }), 'invalid_client_metadata', 'registration request has expired');
  });

  it('rejects a request signed by a key that is not the software statement', async () => {
    await assertOAuthError(
      verifyRegistrationRequest(await sign({ keys: otherKeys }), ssa, { audience: issuer }),
      'invalid_client_metadata',
      'registration request is not signed by a key of the software statement',
    );
  });

  it('rejects a request signed by another key under the software key kid', async () => {
    const forged = await new SignJWT({ ...metadata })
      .setProtectedHeader({ alg: 'PS256', kid: fixture.softwareKeys.publicJwk.kid })
      .setIssuer('software-1')
      .setAudience(issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(otherKeys.privateKey);
    await assertOAuthError(verifyRegistrationRequest(forged, ssa, { audience: issuer }), 'invalid_client_metadata', 'registration request signature invalid');
  });

  it('requires exp, iat and jti (UK DCR v3.2)', async () => {
    const { privateKey, publicJwk } = fixture.softwareKeys;
    const base = () => new SignJWT({ ...metadata }).setProtectedHeader({ alg: 'PS256', kid: publicJwk.kid }).setIssuer('software-1').setAudience(issuer);
    await assertOAuthError(verifyRegistrationRequest(await base().setIssuedAt().setJti('j-1').sign(privateKey), ssa, { audience: issuer }), 'invalid_client_metadata', 'registration request exp claim is required');
    await assertOAuthError(verifyRegistrationRequest(await base().setExpirationTime('5m').setJti('j-2').sign(privateKey), ssa, { audience: issuer }), 'invalid_client_metadata', 'registration request iat claim is required');
    await assertOAuthError(verifyRegistrationRequest(await base().setIssuedAt().setExpirationTime('5m').sign(privateKey), ssa, { audience: issuer }), 'invalid_client_metadata', 'registration request jti claim is required');
  });

  it('asks the replay check about the issuer and jti, and refuses a jti seen before', async () => {
    const seen: Array<[string, string, number]> = [];
    const isFirstUse = async (iss: string, jti: string, exp: number) => {
      seen.push([iss, jti, exp]);
      return seen.length === 1;
    };
    const request = await sign();
    await verifyRegistrationRequest(request, ssa, { audience: issuer, isFirstUse });
    await assertOAuthError(verifyRegistrationRequest(request, ssa, { audience: issuer, isFirstUse }), 'invalid_client_metadata', 'registration request jti has been used before');
    assert.equal(seen[0]![0], 'software-1');
    assert.equal(seen[0]![1], seen[1]![1]);
    assert.ok(seen[0]![2] > Date.now() / 1000);
  });

  it('rejects a request issued in the future', async () => {
    const aMinuteEarlier = new Date(Date.now() - 60_000);
    await assertOAuthError(verifyRegistrationRequest(await sign(), ssa, { audience: issuer, now: aMinuteEarlier }), 'invalid_client_metadata', 'registration request iat is in the future');
  });

  it('rejects a request before its nbf', async () => {
    const { privateKey, publicJwk } = fixture.softwareKeys;
    const early = await new SignJWT({ ...metadata })
      .setProtectedHeader({ alg: 'PS256', kid: publicJwk.kid })
      .setIssuer('software-1')
      .setAudience(issuer)
      .setIssuedAt()
      .setNotBefore('2m')
      .setExpirationTime('5m')
      .setJti('early')
      .sign(privateKey);
    await assertOAuthError(verifyRegistrationRequest(early, ssa, { audience: issuer }), 'invalid_client_metadata', 'registration request nbf claim check failed');
  });

  it('rejects alg none and HS256', async () => {
    const payload = base64url.encode(JSON.stringify({ ...metadata, iss: 'software-1', aud: issuer }));
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', kid: 'k' }))}.${payload}.`;
    await assertOAuthError(verifyRegistrationRequest(none, ssa, { audience: issuer }), 'invalid_client_metadata', 'registration request alg "none" is not allowed; use PS256 or ES256');
    const hs256 = await new SignJWT({ ...metadata }).setProtectedHeader({ alg: 'HS256', kid: 'k' }).sign(new Uint8Array(32));
    await assertOAuthError(verifyRegistrationRequest(hs256, ssa, { audience: issuer }), 'invalid_client_metadata', 'registration request alg "HS256" is not allowed; use PS256 or ES256');
  });

  it('rejects a request without kid, or that is not a JWT', async () => {
    const noKid = await new SignJWT({ ...metadata }).setProtectedHeader({ alg: 'PS256' }).sign(fixture.softwareKeys.privateKey);
    await assertOAuthError(verifyRegistrationRequest(noKid, ssa, { audience: issuer }), 'invalid_client_metadata', 'registration request header must carry a kid');
    await assertOAuthError(verifyRegistrationRequest('{"redirect_uris":[]}', ssa, { audience: issuer }), 'invalid_client_metadata', 'registration request is not a valid JWT');
  });

  it('rejects a signed payload that is not a JSON object', async () => {
    const { privateKey, publicJwk } = fixture.softwareKeys;
    const header = base64url.encode(JSON.stringify({ alg: 'PS256', kid: publicJwk.kid }));
    const payload = base64url.encode('"text"');
    const signature = new Uint8Array(await crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, privateKey, new TextEncoder().encode(`${header}.${payload}`)));
    await assertOAuthError(
      verifyRegistrationRequest(`${header}.${payload}.${base64url.encode(signature)}`, ssa, { audience: issuer }),
      'invalid_client_metadata',
      'registration request is malformed: JWT Claims Set must be a top-level JSON object',
    );
  });
});
