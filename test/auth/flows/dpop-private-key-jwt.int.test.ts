import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as oc from 'openid-client';

import { CustomerBrowser } from '../../helpers/customer-browser.ts';
import { ACCOUNT_ACCESS_DETAILS, discover, REDIRECT_URI, registerKeyClient } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

let portcullis: TestPortcullis;
before(async () => {
  // Introspection and revocation of access tokens by value, which only opaque ones allow (JWT access tokens: jwt-access-tokens.int.test.ts).
  portcullis = await startTestPortcullis({ ACCESS_TOKEN_FORMAT: 'opaque' });
});
after(() => portcullis?.close());

test('PAR + signed request object + PKCE + private_key_jwt + DPoP-bound tokens; refresh; revoke', async () => {
  const { clientId, keys } = await registerKeyClient(portcullis);
  const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }));
  const DPoP = oc.getDPoPHandle(config, await oc.randomDPoPKeyPair('ES256'));

  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const signed = await oc.buildAuthorizationUrlWithJAR(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    authorization_details: ACCOUNT_ACCESS_DETAILS,
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  }, { key: keys.privateKey, kid: keys.kid });
  const authorizationUrl = await oc.buildAuthorizationUrlWithPAR(config, signed.searchParams, { DPoP });
  assert.match(authorizationUrl.searchParams.get('request_uri')!, /^urn:ietf:params:oauth:request_uri:/);

  const browser = new CustomerBrowser(tlsFetch(portcullis.caPem), [portcullis.urls.browser]);
  const callback = await browser.authorize(authorizationUrl, { username: 'alice', password: 'alice-sandbox-pass' });
  assert.equal(callback.searchParams.get('iss'), portcullis.config.issuer, 'RFC 9207 iss in the authorization response');

  const tokens = await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true }, undefined, { DPoP });
  assert.equal(tokens.token_type.toLowerCase(), 'dpop');
  assert.equal(tokens.claims()?.sub, 'cust-0001');
  assert.ok(tokens.refresh_token);

  const introspection = await oc.tokenIntrospection(config, tokens.access_token);
  assert.equal(introspection.active, true);
  assert.ok(introspection.cnf?.jkt, 'access token is bound to the DPoP key');

  const refreshed = await oc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP });
  assert.equal(refreshed.token_type.toLowerCase(), 'dpop');
  assert.equal(refreshed.refresh_token, tokens.refresh_token, 'FAPI 2.0: no refresh token rotation');
  assert.notEqual(refreshed.access_token, tokens.access_token);

  await oc.tokenRevocation(config, tokens.refresh_token!);
  const afterRevocation = await oc.tokenIntrospection(config, tokens.refresh_token!);
  assert.equal(afterRevocation.active, false);
  await assert.rejects(oc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP }), (error: { error?: string }) => error.error === 'invalid_grant');
});
