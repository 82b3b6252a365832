import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { generateKeyPair } from 'jose';
import * as oc from 'openid-client';

import { CustomerBrowser } from '../../helpers/customer-browser.ts';
import { ACCOUNT_ACCESS_DETAILS, REDIRECT_URI, registerKeyClient, type PartnerKeys } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { clientAssertion, dpopKey, dpopNonce, dpopProof, postForm, unsecuredJwt, type DpopKey } from '../../helpers/raw-oauth.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let portcullis: TestPortcullis;
let fetchTls: typeof fetch;
let fetchMtls: typeof fetch;
let client: { clientId: string; keys: PartnerKeys };
let tokenUrl: string;
let dpop: DpopKey;
before(async () => {
  // Introspection and revocation of access tokens by value, which only opaque ones allow (JWT access tokens: jwt-access-tokens.int.test.ts).
  portcullis = await startTestPortcullis({ ACCESS_TOKEN_FORMAT: 'opaque' });
  fetchTls = tlsFetch(portcullis.caPem);
  fetchMtls = tlsFetch(portcullis.caPem, portcullis.sampleClient);
  client = await registerKeyClient(portcullis);
  tokenUrl = `${portcullis.urls.browser}/token`;
  dpop = await dpopKey();
});
after(() => portcullis?.close());

async function nonce(key: DpopKey): Promise<string> {
  return dpopNonce(fetchTls, tokenUrl, key, { grant_type: 'client_credentials', scope: 'accounts', ...(await assertion()) });
}

async function assertion(overrides: Parameters<typeof clientAssertion>[3] = {}, who = client) {
  return { client_assertion_type: ASSERTION_TYPE, client_assertion: await clientAssertion(who.keys, who.clientId, portcullis.config.issuer, overrides) };
}

/** Runs PAR and the customer's approval; returns a fresh code and its verifier. */
async function authorizationCode(options: { dpopJkt?: string; who?: typeof client; fetchImpl?: typeof fetch; parUrl?: string } = {}) {
  const who = options.who ?? client;
  const verifier = oc.randomPKCECodeVerifier();
  const pushed = await postForm(options.fetchImpl ?? fetchTls, options.parUrl ?? `${portcullis.urls.browser}/par`, {
    client_id: who.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    authorization_details: ACCOUNT_ACCESS_DETAILS,
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...(options.dpopJkt ? { dpop_jkt: options.dpopJkt } : {}),
    ...(await assertion({}, who)),
  });
  assert.equal(pushed.status, 201, JSON.stringify(pushed.body));
  const url = new URL(`${portcullis.urls.browser}/authorize?client_id=${who.clientId}&request_uri=${encodeURIComponent(String(pushed.body['request_uri']))}`);
  const callback = await new CustomerBrowser(fetchTls, [portcullis.urls.browser]).authorize(url, { username: 'alice', password: 'alice-sandbox-pass' });
  return { code: callback.searchParams.get('code')!, verifier };
}

async function redeem(code: { code: string; verifier: string }, options: { key?: DpopKey; proofClaims?: Record<string, unknown>; withProof?: boolean; assertionOverrides?: Parameters<typeof clientAssertion>[3] } = {}) {
  const key = options.key ?? dpop;
  const headers: Record<string, string> = options.withProof === false ? {} : { dpop: await dpopProof(key, 'POST', tokenUrl, { nonce: await nonce(key), ...options.proofClaims }) };
  return postForm(fetchTls, tokenUrl, { grant_type: 'authorization_code', code: code.code, redirect_uri: REDIRECT_URI, code_verifier: code.verifier, ...(await assertion(options.assertionOverrides)) }, headers);
}

describe('token requests that must fail', () => {
  test('a code used a second time is refused and the tokens from its first use are revoked', async () => {
    const code = await authorizationCode();
    const first = await redeem(code);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const second = await redeem(code);
    assert.equal(second.status, 400);
    assert.deepEqual(second.body, { error: 'invalid_grant', error_description: 'grant request is invalid' });
    const introspection = await postForm(fetchTls, `${portcullis.urls.browser}/token/introspect`, { token: String(first.body['access_token']), ...(await assertion()) });
    assert.equal(introspection.status, 200);
    assert.deepEqual(introspection.body, { active: false });
  });

  test('an expired code is refused', async () => {
    const code = await authorizationCode();
    await portcullis.db('oidc_tokens').where({ id: code.code, kind: 'AuthorizationCode' }).update({ expires_at: new Date(Date.now() - 1000) });
    const response = await redeem(code);
    assert.equal(response.status, 400);
    assert.equal(response.body['error'], 'invalid_grant');
  });

  test('a code with the wrong PKCE verifier is refused', async () => {
    const code = await authorizationCode();
    const response = await redeem({ code: code.code, verifier: oc.randomPKCECodeVerifier() });
    assert.equal(response.status, 400);
    assert.equal(response.body['error'], 'invalid_grant');
  });

  test('a code redeemed without a DPoP proof by a DPoP-bound client is refused', async () => {
    // oidc-provider answers a missing or replayed proof at the token endpoint as invalid_grant (the
    // grant cannot be bound); the reason is logged with the grant.error event, not told to the caller.
    const response = await redeem(await authorizationCode(), { withProof: false });
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, { error: 'invalid_grant', error_description: 'grant request is invalid' });
  });

  test('a DPoP proof with the wrong htm', async () => {
    const response = await redeem(await authorizationCode(), { proofClaims: { htm: 'GET' } });
    assert.equal(response.status, 400);
    assert.equal(response.body['error'], 'invalid_dpop_proof');
  });

  test('a DPoP proof with the wrong htu', async () => {
    const response = await redeem(await authorizationCode(), { proofClaims: { htu: `${portcullis.urls.browser}/other` } });
    assert.equal(response.status, 400);
    assert.equal(response.body['error'], 'invalid_dpop_proof');
  });

  test('a DPoP proof whose jti was already used', async () => {
    const jti = randomUUID();
    const first = await redeem(await authorizationCode(), { proofClaims: { jti } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const replay = await redeem(await authorizationCode(), { proofClaims: { jti } });
    assert.equal(replay.status, 400);
    assert.deepEqual(replay.body, { error: 'invalid_grant', error_description: 'grant request is invalid' });
  });

  test('a DPoP proof without the server nonce', async () => {
    const code = await authorizationCode();
    const response = await postForm(fetchTls, tokenUrl, { grant_type: 'authorization_code', code: code.code, redirect_uri: REDIRECT_URI, code_verifier: code.verifier, ...(await assertion()) }, { dpop: await dpopProof(dpop, 'POST', tokenUrl) });
    assert.equal(response.status, 400);
    assert.equal(response.body['error'], 'use_dpop_nonce');
    assert.ok(response.headers.get('dpop-nonce'));
  });

  test('a code bound with dpop_jkt at PAR and redeemed with another key', async () => {
    const bound = await dpopKey();
    const response = await redeem(await authorizationCode({ dpopJkt: bound.thumbprint }), { key: await dpopKey() });
    assert.equal(response.status, 400);
    assert.equal(response.body['error'], 'invalid_grant');
  });

  test('a code bound with dpop_jkt at PAR and redeemed with that key succeeds', async () => {
    const bound = await dpopKey();
    const response = await redeem(await authorizationCode({ dpopJkt: bound.thumbprint }), { key: bound });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body['token_type'], 'DPoP');
  });
});

describe('client authentication that must fail', () => {
  async function clientCredentials(form: Record<string, string>) {
    return postForm(fetchTls, tokenUrl, { grant_type: 'client_credentials', scope: 'accounts', ...form }, { dpop: await dpopProof(dpop, 'POST', tokenUrl, { nonce: await nonce(dpop) }) });
  }

  test('a valid assertion works (the baseline for the cases below)', async () => {
    const response = await clientCredentials(await assertion());
    assert.equal(response.status, 200, JSON.stringify(response.body));
  });

  test('an assertion signed with RS256', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const response = await clientCredentials(await assertion({ alg: 'RS256', key: privateKey }));
    assert.equal(response.status, 401);
    assert.equal(response.body['error'], 'invalid_client');
  });

  test('an assertion signed with HS256', async () => {
    const response = await clientCredentials(await assertion({ alg: 'HS256', key: new TextEncoder().encode('a-shared-secret-that-is-long-enough-32') }));
    assert.equal(response.status, 401);
    assert.equal(response.body['error'], 'invalid_client');
  });

  test('an unsigned (alg none) assertion', async () => {
    const now = Math.floor(Date.now() / 1000);
    const response = await clientCredentials({ client_assertion_type: ASSERTION_TYPE, client_assertion: unsecuredJwt({ iss: client.clientId, sub: client.clientId, aud: portcullis.config.issuer, jti: randomUUID(), iat: now, exp: now + 60 }) });
    assert.equal(response.status, 401);
    assert.equal(response.body['error'], 'invalid_client');
  });

  test('an assertion for the wrong audience (FAPI 2.0: only the issuer)', async () => {
    const response = await clientCredentials(await assertion({ claims: { aud: tokenUrl } }));
    assert.equal(response.status, 401);
    assert.deepEqual(response.body, { error: 'invalid_client', error_description: 'client authentication failed' });
  });

  test('an expired assertion', async () => {
    const now = Math.floor(Date.now() / 1000);
    const response = await clientCredentials(await assertion({ claims: { iat: now - 600, exp: now - 300 } }));
    assert.equal(response.status, 401);
    assert.equal(response.body['error'], 'invalid_client');
  });

  test('an assertion whose jti was already used', async () => {
    const jti = randomUUID();
    const first = await clientCredentials(await assertion({ claims: { jti } }));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const replay = await clientCredentials(await assertion({ claims: { jti } }));
    assert.equal(replay.status, 401);
    assert.equal(replay.body['error'], 'invalid_client');
  });

  test('an assertion signed by a key the client never registered', async () => {
    const stranger = await generateKeyPair('ES256');
    const response = await clientCredentials(await assertion({ key: stranger.privateKey }));
    assert.equal(response.status, 401);
    assert.equal(response.body['error'], 'invalid_client');
  });

  test('an unknown client', async () => {
    const response = await clientCredentials(await assertion({ claims: { iss: 'nobody', sub: 'nobody' } }));
    assert.equal(response.status, 401);
    assert.equal(response.body['error'], 'invalid_client');
  });

  test('a client secret instead of an assertion', async () => {
    const response = await clientCredentials({ client_id: client.clientId, client_secret: 'guess' });
    assert.equal(response.status, 401);
    assert.equal(response.body['error'], 'invalid_client');
  });
});

describe('certificate binding that must fail', () => {
  test('a certificate-bound client asking for a token without presenting its certificate', async () => {
    const bound = await registerKeyClient(portcullis, { tls_client_certificate_bound_access_tokens: true });
    const url = `${portcullis.urls.partner}/token`;
    const withoutCertificate = await postForm(fetchTls, url, { grant_type: 'client_credentials', scope: 'accounts', client_assertion_type: ASSERTION_TYPE, client_assertion: await clientAssertion(bound.keys, bound.clientId, portcullis.config.issuer) });
    assert.equal(withoutCertificate.status, 400);
    assert.equal(withoutCertificate.body['error'], 'invalid_grant');
    const withCertificate = await postForm(fetchMtls, url, { grant_type: 'client_credentials', scope: 'accounts', client_assertion_type: ASSERTION_TYPE, client_assertion: await clientAssertion(bound.keys, bound.clientId, portcullis.config.issuer) });
    assert.equal(withCertificate.status, 200, JSON.stringify(withCertificate.body));
  });
});
