import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { calculateJwkThumbprint, createLocalJWKSet, decodeProtectedHeader, exportJWK, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oc from 'openid-client';

import { certificateThumbprint } from '../../../src/pki/certificate-thumbprint.ts';
import { discover, registerKeyClient } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

/*
 * Access tokens for the Open Banking APIs are RFC 9068 JWTs by default: `typ` at+jwt, signed PS256
 * with a key in our JWKS, carrying what a resource server needs without asking us (issuer,
 * audience, client, scope, expiry, the certificate or key it is bound to). What they cost: the
 * introspection endpoint cannot describe them (oidc-provider says so with unsupported_token_type).
 */

let portcullis: TestPortcullis;
let jwks: JSONWebKeySet;
before(async () => {
  portcullis = await startTestPortcullis();
  jwks = await (await tlsFetch(portcullis.caPem)(`${portcullis.urls.browser}/jwks`)).json() as JSONWebKeySet;
});
after(() => portcullis?.close());

test('a client-credentials token is an RFC 9068 JWT bound to the client certificate, verifiable with our JWKS alone', async () => {
  const { clientId, keys } = await registerKeyClient(portcullis, { tls_client_certificate_bound_access_tokens: true, use_mtls_endpoint_aliases: true });
  const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }), { use_mtls_endpoint_aliases: true }, portcullis.sampleClient);
  const tokens = await oc.clientCredentialsGrant(config, { scope: 'accounts' });

  const header = decodeProtectedHeader(tokens.access_token);
  assert.equal(header.typ, 'at+jwt');
  assert.equal(header.alg, 'PS256');
  const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), { issuer: portcullis.config.issuer, audience: `${portcullis.config.mtlsBaseUrl}/open-banking`, typ: 'at+jwt' });
  assert.equal(payload['client_id'], clientId);
  assert.equal(payload.sub, clientId, 'no customer: the client is the subject (RFC 9068 §2.2)');
  assert.equal(payload['scope'], 'accounts');
  assert.deepEqual(payload['cnf'], { 'x5t#S256': certificateThumbprint(portcullis.sampleClient.certificatePem) });
  assert.equal(payload.exp! - payload.iat!, portcullis.config.ttl.accessToken);
  assert.ok(typeof payload.jti === 'string' && payload.jti.length >= 21);
  assert.equal(payload['grant_id'], undefined, 'client credentials have no grant');
});

test('a DPoP-bound JWT names its key thumbprint, and the introspection endpoint declines JWT access tokens', async () => {
  const { clientId, keys } = await registerKeyClient(portcullis);
  const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }));
  const proofKeys = await oc.randomDPoPKeyPair('ES256');
  const tokens = await oc.clientCredentialsGrant(config, { scope: 'payments' }, { DPoP: oc.getDPoPHandle(config, proofKeys) });
  const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), { issuer: portcullis.config.issuer });
  assert.equal((payload['cnf'] as { jkt?: string }).jkt, await calculateJwkThumbprint(await exportJWK(proofKeys.publicKey)));
  await assert.rejects(oc.tokenIntrospection(config, tokens.access_token), (error: { error?: string }) => error.error === 'unsupported_token_type');
});
