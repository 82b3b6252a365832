import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as oc from 'openid-client';

import { deleteClientByOps } from '../../../src/auth/clients/clients.service.ts';
import { certificateThumbprint } from '../../../src/pki/certificate-thumbprint.ts';
import { discover, registerKeyClient } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';

let portcullis: TestPortcullis;
before(async () => {
  // Introspection and revocation of access tokens by value, which only opaque ones allow (JWT access tokens: jwt-access-tokens.int.test.ts).
  portcullis = await startTestPortcullis({ ACCESS_TOKEN_FORMAT: 'opaque' });
});
after(() => portcullis?.close());

test('client credentials with private_key_jwt over mutual TLS: a certificate-bound token for the consent API', async () => {
  const { clientId, keys } = await registerKeyClient(portcullis, { tls_client_certificate_bound_access_tokens: true, use_mtls_endpoint_aliases: true });
  const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }), { use_mtls_endpoint_aliases: true }, portcullis.sampleClient);
  const tokens = await oc.clientCredentialsGrant(config, { scope: 'accounts' });
  assert.equal(tokens.scope, 'accounts');
  assert.equal(tokens.refresh_token, undefined, 'no refresh token for client credentials');
  const introspection = await oc.tokenIntrospection(config, tokens.access_token);
  assert.equal(introspection.active, true);
  assert.equal(introspection.cnf?.['x5t#S256'], certificateThumbprint(portcullis.sampleClient.certificatePem));
});

test('client credentials with DPoP: the token is bound to the proof key', async () => {
  const { clientId, keys } = await registerKeyClient(portcullis);
  const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }));
  const DPoP = oc.getDPoPHandle(config, await oc.randomDPoPKeyPair('ES256'));
  const tokens = await oc.clientCredentialsGrant(config, { scope: 'payments' }, { DPoP });
  assert.equal(tokens.token_type.toLowerCase(), 'dpop');
  const introspection = await oc.tokenIntrospection(config, tokens.access_token);
  assert.ok(introspection.cnf?.jkt);
});

test('a scope the client is not registered for is refused with invalid_scope', async () => {
  const { clientId, keys } = await registerKeyClient(portcullis, { scope: 'openid accounts' });
  const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }));
  const DPoP = oc.getDPoPHandle(config, await oc.randomDPoPKeyPair('ES256'));
  await assert.rejects(oc.clientCredentialsGrant(config, { scope: 'payments' }, { DPoP }), (error: { error?: string }) => error.error === 'invalid_scope');
});

test('a client deleted by ops (the path the CLI takes, writing the table itself) gets no token from the next request on, though the server held its registration', async () => {
  const { clientId, keys } = await registerKeyClient(portcullis);
  const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }));
  const DPoP = oc.getDPoPHandle(config, await oc.randomDPoPKeyPair('ES256'));
  assert.ok((await oc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP })).access_token, 'a token, and the registration in the client cache');

  assert.equal(await deleteClientByOps({ db: portcullis.db, events: portcullis.events }, clientId), true);
  await assert.rejects(oc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP }), (error: { error?: string; status?: number }) => error.error === 'invalid_client' && error.status === 401);
});
