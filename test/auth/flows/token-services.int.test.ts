import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oc from 'openid-client';

import { CustomerBrowser } from '../../helpers/customer-browser.ts';
import { discover, REDIRECT_URI, registerKeyClient, type PartnerKeys } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { clientAssertion } from '../../helpers/raw-oauth.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

let portcullis: TestPortcullis;
let fetchTls: typeof fetch;
let client: { clientId: string; keys: PartnerKeys };
let config: oc.Configuration;
let DPoP: oc.DPoPHandle;
let tokens: oc.TokenEndpointResponse & oc.TokenEndpointResponseHelpers;
let browser: CustomerBrowser;
before(async () => {
  portcullis = await startTestPortcullis();
  fetchTls = tlsFetch(portcullis.caPem);
  client = await registerKeyClient(portcullis, { introspection_signed_response_alg: 'ES256', userinfo_signed_response_alg: 'ES256', scope: 'openid profile accounts' });
  config = await discover(portcullis, client.clientId, oc.PrivateKeyJwt({ key: client.keys.privateKey, kid: client.keys.kid }));
  DPoP = oc.getDPoPHandle(config, await oc.randomDPoPKeyPair('ES256'));
  const verifier = oc.randomPKCECodeVerifier();
  const url = await oc.buildAuthorizationUrlWithPAR(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', code_challenge: await oc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }, { DPoP });
  browser = new CustomerBrowser(fetchTls, [portcullis.urls.browser]);
  const callback = await browser.authorize(url, { username: 'alice', password: 'alice-sandbox-pass' });
  tokens = await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, idTokenExpected: true }, undefined, { DPoP });
});
after(() => portcullis?.close());

async function publishedKeys() {
  const response = await fetchTls(`${portcullis.urls.browser}/jwks`);
  return createLocalJWKSet((await response.json()) as JSONWebKeySet);
}

test('the ID token is signed with an allowed algorithm by a published key', async () => {
  const header = decodeProtectedHeader(tokens.id_token!);
  assert.equal(header.alg, 'PS256', 'the default for clients that do not choose');
  const jwks = await publishedKeys();
  const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: portcullis.config.issuer, audience: client.clientId });
  assert.equal(payload.sub, 'cust-0001');
});

test('userinfo with the DPoP-bound access token, as a signed JWT', async () => {
  const userinfo = await oc.fetchUserInfo(config, tokens.access_token, 'cust-0001', { DPoP });
  assert.equal(userinfo.name, 'Alice Carter');
});

test('userinfo refuses the access token presented as a bearer token', async () => {
  const response = await fetchTls(`${portcullis.urls.browser}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(response.status, 401);
  assert.match(response.headers.get('www-authenticate') ?? '', /invalid_token/);
});

test('introspection as a signed JWT (RFC 9701)', async () => {
  const response = await fetchTls(`${portcullis.urls.browser}/token/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/token-introspection+jwt' },
    body: new URLSearchParams({ token: tokens.access_token, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await clientAssertion(client.keys, client.clientId, portcullis.config.issuer) }),
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type')?.split(';')[0], 'application/token-introspection+jwt');
  const jwt = await response.text();
  assert.equal(decodeProtectedHeader(jwt).alg, 'ES256');
  const jwks = await publishedKeys();
  const { payload } = await jwtVerify(jwt, jwks, { issuer: portcullis.config.issuer, audience: client.clientId });
  assert.equal((payload['token_introspection'] as { active: boolean }).active, true);
});

test('another client learns nothing about this client\'s token', async () => {
  const other = await registerKeyClient(portcullis);
  const otherConfig = await discover(portcullis, other.clientId, oc.PrivateKeyJwt({ key: other.keys.privateKey, kid: other.keys.kid }));
  const introspection = await oc.tokenIntrospection(otherConfig, tokens.access_token);
  assert.deepEqual(introspection, { active: false });
});

test('another client cannot revoke this client\'s token (RFC 7009 §2.1)', async () => {
  const other = await registerKeyClient(portcullis);
  const otherConfig = await discover(portcullis, other.clientId, oc.PrivateKeyJwt({ key: other.keys.privateKey, kid: other.keys.kid }));
  await assert.rejects(oc.tokenRevocation(otherConfig, tokens.access_token), (error: oc.ResponseBodyError) => {
    assert.equal(error.status, 400);
    assert.equal(error.error, 'invalid_request');
    return true;
  });
  assert.equal((await oc.tokenIntrospection(config, tokens.access_token)).active, true, 'still live');
});

test('revoking the access token makes it inactive and useless at userinfo', async () => {
  await oc.tokenRevocation(config, tokens.access_token);
  assert.equal((await oc.tokenIntrospection(config, tokens.access_token)).active, false);
  await assert.rejects(oc.fetchUserInfo(config, tokens.access_token, 'cust-0001', { DPoP }));
});

test('RP-initiated logout asks the customer on our own page, then signs them out', async () => {
  const logoutUrl = oc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! });
  const confirm = await browser.open(logoutUrl);
  assert.equal(confirm.page?.status, 200);
  assert.match(confirm.page!.html, /Sign out of Portcullis Bank\?/);
  assert.doesNotMatch(confirm.page!.html, /<style|<script/, 'no inline style or script (CSP)');
  const done = await browser.open(new URL(`${portcullis.urls.browser}/logout/confirm`), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ xsrf: /name="xsrf" value="([^"]+)"/.exec(confirm.page!.html)![1]!, logout: 'yes' }).toString(),
  });
  assert.match(done.page!.html, /You are signed out/);
});
