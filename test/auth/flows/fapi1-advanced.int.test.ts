import assert from 'node:assert/strict';
import { randomUUID, X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';

import * as oc from 'openid-client';

import { registerClient } from '../../../src/auth/clients/register-client.ts';
import { CustomerBrowser } from '../../helpers/customer-browser.ts';
import { ACCOUNT_ACCESS_DETAILS, discover, partnerKeys, REDIRECT_URI } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { postForm } from '../../helpers/raw-oauth.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

let portcullis: TestPortcullis;
before(async () => {
  // Introspection and revocation of access tokens by value, which only opaque ones allow (JWT access tokens: jwt-access-tokens.int.test.ts).
  portcullis = await startTestPortcullis({ ACCESS_TOKEN_FORMAT: 'opaque' });
});
after(() => portcullis?.close());

async function registerFapi1Client() {
  const keys = await partnerKeys('PS256');
  const clientId = `fapi1-${randomUUID()}`;
  const stored = await registerClient(portcullis.provider, {
    client_id: clientId,
    fapi_profile: '1.0 Final',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: new X509Certificate(portcullis.sampleClient.certificatePem).subject.split('\n').reverse().join(','),
    jwks: { keys: [keys.publicJwk] },
    request_object_signing_alg: 'PS256',
    scope: 'openid accounts',
    software_roles: ['AISP'],
  });
  return { clientId, keys, stored };
}

test('a FAPI 1.0 Advanced client gets JARM, signed request objects and certificate-bound tokens', async () => {
  const { clientId, keys, stored } = await registerFapi1Client();
  assert.equal(stored['require_signed_request_object'], true);
  assert.equal(stored['tls_client_certificate_bound_access_tokens'], true);
  assert.equal(stored['authorization_signed_response_alg'], 'PS256');

  const config = await discover(portcullis, clientId, oc.TlsClientAuth(), { use_mtls_endpoint_aliases: true }, portcullis.sampleClient);
  oc.useJwtResponseMode(config);
  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const nonce = oc.randomNonce();
  const signed = await oc.buildAuthorizationUrlWithJAR(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    authorization_details: ACCOUNT_ACCESS_DETAILS,
    response_mode: 'jwt',
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  }, { key: keys.privateKey, kid: keys.kid });
  const authorizationUrl = await oc.buildAuthorizationUrlWithPAR(config, signed.searchParams);

  const callback = await new CustomerBrowser(tlsFetch(portcullis.caPem), [portcullis.urls.browser]).authorize(authorizationUrl, { username: 'alice', password: 'alice-sandbox-pass' });
  assert.ok(callback.searchParams.get('response'), 'the authorization response is a JWT (JARM)');
  assert.equal(callback.searchParams.get('code'), null, 'no bare code in the URL');

  const tokens = await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
  assert.equal(tokens.claims()?.sub, 'cust-0001');
  const introspection = await oc.tokenIntrospection(config, tokens.access_token);
  assert.ok(introspection.cnf?.['x5t#S256']);
});

test('a FAPI 1.0 Advanced client must send a signed request object', async () => {
  const { clientId } = await registerFapi1Client();
  const response = await postForm(tlsFetch(portcullis.caPem, portcullis.sampleClient), `${portcullis.urls.partner}/par`, {
    client_id: clientId,
    response_type: 'code',
    response_mode: 'jwt',
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    authorization_details: ACCOUNT_ACCESS_DETAILS,
    code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
  assert.equal(response.status, 400);
  assert.equal(response.body['error'], 'invalid_request');
  assert.match(String(response.body['error_description']), /[Rr]equest [Oo]bject/);
});

test('a FAPI 1.0 Advanced client cannot register for DPoP', async () => {
  await assert.rejects(
    registerClient(portcullis.provider, { client_id: `fapi1-${randomUUID()}`, fapi_profile: '1.0 Final', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: 'CN=x', dpop_bound_access_tokens: true }),
    { error: 'invalid_client_metadata', error_description: 'FAPI 1.0 Advanced clients use certificate-bound access tokens, not DPoP' },
  );
});

test('an unknown FAPI profile is refused', async () => {
  await assert.rejects(
    registerClient(portcullis.provider, { client_id: `x-${randomUUID()}`, fapi_profile: '1.0 Baseline', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: 'CN=x' }),
    { error: 'invalid_client_metadata' },
  );
});
