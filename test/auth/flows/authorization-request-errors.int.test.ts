import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { SignJWT } from 'jose';
import * as oc from 'openid-client';

import { CustomerBrowser } from '../../helpers/customer-browser.ts';
import { ACCOUNT_ACCESS_DETAILS, REDIRECT_URI, registerKeyClient, type PartnerKeys } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { clientAssertion, postForm } from '../../helpers/raw-oauth.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

let portcullis: TestPortcullis;
let fetchTls: typeof fetch;
let client: { clientId: string; keys: PartnerKeys };
let parUrl: string;
before(async () => {
  portcullis = await startTestPortcullis();
  fetchTls = tlsFetch(portcullis.caPem);
  client = await registerKeyClient(portcullis);
  parUrl = `${portcullis.urls.browser}/par`;
});
after(() => portcullis?.close());

async function authorizationParameters(overrides: Record<string, string | undefined> = {}): Promise<Record<string, string>> {
  const parameters: Record<string, string | undefined> = {
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    authorization_details: ACCOUNT_ACCESS_DETAILS,
    state: oc.randomState(),
    code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(parameters).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

async function push(parameters: Record<string, string>) {
  return postForm(fetchTls, parUrl, {
    ...parameters,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await clientAssertion(client.keys, client.clientId, portcullis.config.issuer),
  });
}

async function requestObject(claims: Record<string, unknown>, lifetime: { nbf: number; exp: number }): Promise<string> {
  return new SignJWT({ ...claims, iss: client.clientId, aud: portcullis.config.issuer, nbf: lifetime.nbf, exp: lifetime.exp })
    .setProtectedHeader({ alg: client.keys.alg, kid: client.keys.kid })
    .sign(client.keys.privateKey);
}

describe('authorization requests that FAPI 2.0 refuses', () => {
  test('an authorization request sent without PAR', async () => {
    const url = new URL(`${portcullis.urls.browser}/authorize`);
    for (const [name, value] of Object.entries(await authorizationParameters())) url.searchParams.set(name, value);
    const response = await fetchTls(url, { redirect: 'manual' });
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location')!);
    assert.equal(location.origin + location.pathname, REDIRECT_URI);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('error_description'), 'Pushed Authorization Request must be used');
    assert.equal(location.searchParams.get('iss'), portcullis.config.issuer);
  });

  test('PAR without PKCE', async () => {
    const response = await push(await authorizationParameters({ code_challenge: undefined, code_challenge_method: undefined }));
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, { error: 'invalid_request', error_description: 'Authorization Server policy requires PKCE to be used for this request' });
  });

  test('PAR with the plain PKCE method', async () => {
    const response = await push(await authorizationParameters({ code_challenge: oc.randomPKCECodeVerifier(), code_challenge_method: 'plain' }));
    assert.equal(response.status, 400);
    assert.equal(response.body['error'], 'invalid_request');
    assert.match(String(response.body['error_description']), /code_challenge_method/);
  });

  test('PAR with a redirect URI that is not registered', async () => {
    const response = await push(await authorizationParameters({ redirect_uri: 'https://tpp.example/other' }));
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, { error: 'invalid_request', error_description: "redirect_uri did not match any of the client's registered redirect_uris" });
  });

  test('PAR with a redirect URI that differs only by a trailing slash (exact match)', async () => {
    const response = await push(await authorizationParameters({ redirect_uri: `${REDIRECT_URI}/` }));
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, { error: 'invalid_request', error_description: "redirect_uri did not match any of the client's registered redirect_uris" });
  });

  test('PAR asking for response_type=token', async () => {
    const response = await push(await authorizationParameters({ response_type: 'token' }));
    assert.equal(response.status, 400);
    assert.equal(response.body['error'], 'unsupported_response_type');
  });

  test('a request object whose exp is more than an hour after nbf', async () => {
    const now = Math.floor(Date.now() / 1000);
    const request = await requestObject(await authorizationParameters(), { nbf: now, exp: now + 7200 });
    const response = await push({ client_id: client.clientId, request });
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, { error: 'invalid_request_object', error_description: "Request Object 'exp' claim too far from 'nbf' claim" });
  });

  test('a request object signed with RS256', async () => {
    const { generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const request = await new SignJWT({ ...(await authorizationParameters()), iss: client.clientId, aud: portcullis.config.issuer, nbf: now, exp: now + 60 })
      .setProtectedHeader({ alg: 'RS256', kid: client.keys.kid })
      .sign(privateKey);
    const response = await push({ client_id: client.clientId, request });
    assert.equal(response.status, 400);
    assert.equal(response.body['error'], 'invalid_request_object');
  });

  test('a request_uri used a second time', async () => {
    const pushed = await push(await authorizationParameters());
    assert.equal(pushed.status, 201);
    assert.ok(Number(pushed.body['expires_in']) > 0 && Number(pushed.body['expires_in']) < 600, 'RFC 9126 / FAPI 2.0: expires_in under 600 s');
    const authorizationUrl = new URL(`${portcullis.urls.browser}/authorize`);
    authorizationUrl.searchParams.set('client_id', client.clientId);
    authorizationUrl.searchParams.set('request_uri', String(pushed.body['request_uri']));
    const browser = new CustomerBrowser(fetchTls, [portcullis.urls.browser]);
    const callback = await browser.authorize(authorizationUrl, { username: 'alice', password: 'alice-sandbox-pass' });
    assert.ok(callback.searchParams.get('code'));

    // The request_uri no longer vouches for the redirect URI, so the error is shown, not redirected.
    const again = await new CustomerBrowser(fetchTls, [portcullis.urls.browser]).open(authorizationUrl);
    assert.equal(again.redirect, undefined);
    assert.equal(again.page!.status, 400);
    assert.match(again.page!.html, /request_uri is invalid, expired, or was already used/);
    assert.match(again.page!.html, /<code>invalid_request_uri<\/code>/);
  });

  test('an unknown client', async () => {
    const response = await postForm(fetchTls, parUrl, { ...(await authorizationParameters({ client_id: 'no-such-client' })), client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await clientAssertion(client.keys, 'no-such-client', portcullis.config.issuer) });
    assert.equal(response.status, 401);
    assert.equal(response.body['error'], 'invalid_client');
  });
});
