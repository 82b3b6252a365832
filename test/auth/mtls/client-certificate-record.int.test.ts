/**
 * The transport certificates clients authenticate with on the mutual-TLS listener are kept for
 * operations (`oidc_client_certificates`): at PAR, the token endpoint, dynamic registration
 * (RFC 7591) and its management (RFC 7592), each for the client the request authenticated or
 * registered. A refused request keeps nothing, whatever certificate it came with.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import * as oc from 'openid-client';

import { createSoftwareKeys } from '../../../sandbox/directory/software-keys.ts';
import { certificateThumbprint } from '../../../src/pki/certificate-thumbprint.ts';
import { issueClientCertificate } from '../../../src/pki/issue-client-certificate.ts';
import { eventually } from '../../helpers/eventually.ts';
import { ACCOUNT_ACCESS_DETAILS, discover, partnerKeys, REDIRECT_URI, registerKeyClient } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { tlsFetch, type TlsIdentity } from '../../helpers/tls-fetch.ts';

let portcullis: TestPortcullis;
let other: TlsIdentity;

before(async () => {
  portcullis = await startTestPortcullis();
  other = issueClientCertificate({ certificatePem: portcullis.caPem, privateKeyPem: readFileSync(join(portcullis.certsDir, 'dev-ca.key'), 'utf8') }, { commonName: 'other-tpp', organizationName: 'Other TPP Ltd', countryName: 'GB' });
});
after(() => portcullis?.close());

const thumbprints = async (clientId: string) => (await portcullis.db('oidc_client_certificates').where({ client_id: clientId }).orderBy('first_seen_at')).map((row: { thumbprint: string }) => row.thumbprint);

test('a refused token request keeps nothing; PAR and the token endpoint keep the certificate of the client they authenticated', async () => {
  const { clientId, keys } = await registerKeyClient(portcullis, { tls_client_certificate_bound_access_tokens: true, use_mtls_endpoint_aliases: true });
  const mtlsConfig = (identity: TlsIdentity, key = keys.privateKey) => discover(portcullis, clientId, oc.PrivateKeyJwt({ key, kid: keys.kid }), { use_mtls_endpoint_aliases: true }, identity);

  // Signed with a key that is not the client's: invalid_client, with the other certificate presented.
  const stranger = await partnerKeys();
  await assert.rejects(oc.clientCredentialsGrant(await mtlsConfig(other, stranger.privateKey), { scope: 'accounts' }), (error: { cause?: { error?: string } }) => error.cause?.error === 'invalid_client');

  await oc.buildAuthorizationUrlWithPAR(await mtlsConfig(portcullis.sampleClient), {
    redirect_uri: REDIRECT_URI, scope: 'openid accounts', authorization_details: ACCOUNT_ACCESS_DETAILS,
    code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
  });
  await eventually(async () => (await thumbprints(clientId)).length === 1, { withinMs: 2_000, what: 'the certificate seen at PAR' });
  assert.deepEqual(await thumbprints(clientId), [certificateThumbprint(portcullis.sampleClient.certificatePem)], 'only the PAR\'s, not the refused request\'s');

  await oc.clientCredentialsGrant(await mtlsConfig(other), { scope: 'accounts' });
  await eventually(async () => (await thumbprints(clientId)).length === 2, { withinMs: 2_000, what: 'the certificate seen at the token endpoint' });
  assert.deepEqual(await thumbprints(clientId), [certificateThumbprint(portcullis.sampleClient.certificatePem), certificateThumbprint(other.certificatePem)]);
});

test('dynamic registration over mutual TLS keeps the certificate it came with; a registration read (RFC 7592) keeps the one it presents', async () => {
  const keys = await createSoftwareKeys('ES256');
  const ssa = await portcullis.directory.issueSoftwareStatement({
    software_id: `sw-${randomUUID()}`, software_client_name: 'Registering TPP', software_redirect_uris: [REDIRECT_URI], software_roles: ['AISP'],
    software_jwks: { keys: [keys.publicJwk] }, org_id: 'org-registering', org_name: 'Registering TPP Ltd',
  });
  const registration = await tlsFetch(portcullis.caPem, portcullis.sampleClient)(`${portcullis.urls.partner}/register`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256', grant_types: ['client_credentials'], response_types: ['code'], software_statement: ssa }),
  });
  const body = await registration.json() as { client_id: string; registration_access_token: string; registration_client_uri: string };
  assert.equal(registration.status, 201, JSON.stringify(body));
  await eventually(async () => (await thumbprints(body.client_id)).length === 1, { withinMs: 2_000, what: 'the certificate seen at registration' });
  assert.deepEqual(await thumbprints(body.client_id), [certificateThumbprint(portcullis.sampleClient.certificatePem)]);

  const readUri = `${portcullis.urls.partner}${new URL(body.registration_client_uri).pathname}`;
  const refused = await tlsFetch(portcullis.caPem, other)(readUri, { headers: { authorization: 'Bearer not-the-token' } });
  assert.equal(refused.status, 401);
  const read = await tlsFetch(portcullis.caPem, other)(readUri, { headers: { authorization: `Bearer ${body.registration_access_token}` } });
  assert.equal(read.status, 200, await read.clone().text());
  await eventually(async () => (await thumbprints(body.client_id)).length === 2, { withinMs: 2_000, what: 'the certificate seen at the registration read' });
  assert.deepEqual(await thumbprints(body.client_id), [certificateThumbprint(portcullis.sampleClient.certificatePem), certificateThumbprint(other.certificatePem)]);
});
