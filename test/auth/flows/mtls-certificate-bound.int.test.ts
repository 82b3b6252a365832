import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import * as oc from 'openid-client';

import { registerClient } from '../../../src/auth/clients/register-client.ts';
import { certificateThumbprint } from '../../../src/pki/certificate-thumbprint.ts';
import { CustomerBrowser } from '../../helpers/customer-browser.ts';
import { ACCOUNT_ACCESS_DETAILS, discover, REDIRECT_URI } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

let portcullis: TestPortcullis;
before(async () => {
  // Introspection and revocation of access tokens by value, which only opaque ones allow (JWT access tokens: jwt-access-tokens.int.test.ts).
  portcullis = await startTestPortcullis({ ACCESS_TOKEN_FORMAT: 'opaque' });
});
after(() => portcullis?.close());

function rfc4514(subject: string): string {
  return subject.split('\n').reverse().join(',');
}

test('tls_client_auth with a client certificate and certificate-bound tokens; introspection shows cnf.x5t#S256', async () => {
  const clientId = `mtls-${randomUUID()}`;
  const subjectDn = rfc4514(new X509Certificate(portcullis.sampleClient.certificatePem).subject);
  await registerClient(portcullis.provider, {
    client_id: clientId,
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: subjectDn,
    scope: 'openid accounts',
    software_roles: ['AISP'],
  });
  const config = await discover(portcullis, clientId, oc.TlsClientAuth(), { use_mtls_endpoint_aliases: true }, portcullis.sampleClient);

  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const authorizationUrl = await oc.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    authorization_details: ACCOUNT_ACCESS_DETAILS,
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  assert.equal(new URL(config.serverMetadata().mtls_endpoint_aliases!.pushed_authorization_request_endpoint!).origin, portcullis.urls.partner);

  const browser = new CustomerBrowser(tlsFetch(portcullis.caPem), [portcullis.urls.browser]);
  const callback = await browser.authorize(authorizationUrl, { username: 'bob', password: 'bob-sandbox-pass' });
  const tokens = await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true });
  assert.equal(tokens.token_type.toLowerCase(), 'bearer', 'certificate-bound tokens use the Bearer scheme (RFC 8705 §3)');

  const introspection = await oc.tokenIntrospection(config, tokens.access_token);
  assert.equal(introspection.active, true);
  assert.equal(introspection.cnf?.['x5t#S256'], certificateThumbprint(portcullis.sampleClient.certificatePem));
  assert.equal(introspection.client_id, clientId);
});
