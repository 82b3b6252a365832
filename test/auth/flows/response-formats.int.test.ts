import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as oc from 'openid-client';

import { CustomerBrowser } from '../../helpers/customer-browser.ts';
import { discover, REDIRECT_URI, registerKeyClient } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { clientAssertion } from '../../helpers/raw-oauth.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

/*
 * A signed or JWT-shaped response goes only to a client that asked for one: userinfo per OIDC
 * Registration §2 (`userinfo_signed_response_alg`), introspection per RFC 9701 (`Accept`), and the
 * authorization response per JARM (`authorization_signed_response_alg`, or a profile that needs it).
 */

let portcullis: TestPortcullis;
let fetchTls: typeof fetch;
before(async () => {
  portcullis = await startTestPortcullis();
  fetchTls = tlsFetch(portcullis.caPem);
});
after(() => portcullis?.close());

/** A client's access token for `openid profile`, after Alice signs in and approves. */
async function signedInClient(metadata: Record<string, unknown> = {}) {
  const client = await registerKeyClient(portcullis, { scope: 'openid profile', ...metadata });
  const config = await discover(portcullis, client.clientId, oc.PrivateKeyJwt({ key: client.keys.privateKey, kid: client.keys.kid }));
  const DPoP = oc.getDPoPHandle(config, await oc.randomDPoPKeyPair('ES256'));
  const verifier = oc.randomPKCECodeVerifier();
  const url = await oc.buildAuthorizationUrlWithPAR(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', code_challenge: await oc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }, { DPoP });
  const callback = await new CustomerBrowser(fetchTls, [portcullis.urls.browser]).authorize(url, { username: 'alice', password: 'alice-sandbox-pass' });
  const tokens = await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier }, undefined, { DPoP });
  return { client, config, DPoP, tokens };
}

test('userinfo is plain JSON for a client that registered no userinfo_signed_response_alg', async () => {
  const { config, DPoP, tokens } = await signedInClient();
  assert.equal(config.clientMetadata().userinfo_signed_response_alg, undefined);
  const response = await oc.fetchProtectedResource(config, tokens.access_token, new URL(`${portcullis.urls.browser}/userinfo`), 'GET', undefined, undefined, { DPoP });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type')?.split(';')[0], 'application/json');
  const claims = (await response.json()) as Record<string, unknown>;
  assert.equal(claims['sub'], 'cust-0001');
  assert.equal(claims['name'], 'Alice Carter');
});

test('userinfo is a signed JWT for a client that registered userinfo_signed_response_alg', async () => {
  const { config, DPoP, tokens } = await signedInClient({ userinfo_signed_response_alg: 'ES256' });
  const response = await oc.fetchProtectedResource(config, tokens.access_token, new URL(`${portcullis.urls.browser}/userinfo`), 'GET', undefined, undefined, { DPoP });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type')?.split(';')[0], 'application/jwt');
});

test('introspection is JSON unless the client asks for a JWT with Accept (RFC 9701 §4)', async () => {
  const { client, tokens } = await signedInClient();
  const introspect = async (headers: Record<string, string>) => fetchTls(`${portcullis.urls.browser}/token/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ token: tokens.access_token, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await clientAssertion(client.keys, client.clientId, portcullis.config.issuer) }),
  });
  for (const headers of [{}, { accept: 'application/json' }, { accept: '*/*' }] as Array<Record<string, string>>) {
    const response = await introspect(headers);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type')?.split(';')[0], 'application/json', JSON.stringify(headers));
    assert.equal(((await response.json()) as { active: boolean }).active, true);
  }
  const asked = await introspect({ accept: 'application/token-introspection+jwt' });
  assert.equal(asked.headers.get('content-type')?.split(';')[0], 'application/token-introspection+jwt');
});

async function pushWithResponseMode(metadata: Record<string, unknown>) {
  const client = await registerKeyClient(portcullis, metadata);
  const config = await discover(portcullis, client.clientId, oc.PrivateKeyJwt({ key: client.keys.privateKey, kid: client.keys.kid }));
  return oc.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    response_mode: 'jwt',
    code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
}

test('a FAPI 2.0 client that did not register JARM cannot ask for a JWT authorization response', async () => {
  await assert.rejects(pushWithResponseMode({}), (error: oc.ResponseBodyError) => {
    assert.equal(error.error, 'invalid_request');
    assert.match(error.error_description ?? '', /response_mode/);
    return true;
  });
});

test('a FAPI 2.0 client that registered authorization_signed_response_alg gets JARM when it asks', async () => {
  const url = await pushWithResponseMode({ authorization_signed_response_alg: 'ES256' });
  assert.ok(url.searchParams.get('request_uri'));
});
