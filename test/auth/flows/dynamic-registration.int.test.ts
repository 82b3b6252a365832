import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { generateKeyPair, SignJWT } from 'jose';
import * as oc from 'openid-client';

import { createSoftwareKeys, type SoftwareKeys } from '../../../sandbox/directory/software-keys.ts';
import { signRegistrationRequest } from '../../../sandbox/directory/sign-registration-request.ts';
import { REDIRECT_URI } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

let portcullis: TestPortcullis;
let software: SoftwareKeys;
let fetchTls: typeof fetch;
before(async () => {
  portcullis = await startTestPortcullis();
  software = await createSoftwareKeys('PS256');
  fetchTls = tlsFetch(portcullis.caPem);
});
after(() => portcullis?.close());

function statementClaims(softwareId: string) {
  return { software_id: softwareId, software_redirect_uris: [REDIRECT_URI], software_roles: ['AISP', 'PISP'] as Array<'AISP' | 'PISP'>, software_jwks: software.jwks, software_client_name: 'Registered TPP' };
}

const metadata = {
  token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_signing_alg: 'PS256',
  grant_types: ['authorization_code', 'client_credentials', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: [REDIRECT_URI],
  scope: 'openid accounts payments',
};

async function register(body: string, contentType: string) {
  const response = await fetchTls(`${portcullis.urls.browser}/register`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('dynamic client registration with a software statement', () => {
  test('a valid statement in a UK DCR signed request registers a sender-constrained client that can get tokens', async () => {
    const softwareId = `software-${randomUUID()}`;
    const ssa = await portcullis.directory.issueSoftwareStatement(statementClaims(softwareId));
    const request = await signRegistrationRequest({ ...metadata, software_statement: ssa }, software, { audience: portcullis.config.issuer, softwareId });
    const { status, body } = await register(request, 'application/jwt');
    assert.equal(status, 201, JSON.stringify(body));
    assert.equal(body['software_id'], softwareId);
    assert.equal(body['client_name'], 'Registered TPP');
    assert.deepEqual(body['software_roles'], ['AISP', 'PISP']);
    assert.equal(body['dpop_bound_access_tokens'], true, 'the client policy makes every client sender-constrained');
    assert.equal(body['require_pushed_authorization_requests'], true);
    assert.ok(body['registration_access_token']);

    const config = await oc.discovery(new URL(portcullis.config.issuer), body['client_id'] as string, undefined, oc.PrivateKeyJwt({ key: software.privateKey, kid: software.publicJwk.kid }), { [oc.customFetch]: fetchTls as never });
    const tokens = await oc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP: oc.getDPoPHandle(config, await oc.randomDPoPKeyPair()) });
    assert.equal(tokens.token_type.toLowerCase(), 'dpop');
  });

  test('a valid statement in a JSON request registers through openid-client', async () => {
    const softwareId = `software-${randomUUID()}`;
    const ssa = await portcullis.directory.issueSoftwareStatement(statementClaims(softwareId));
    const config = await oc.dynamicClientRegistration(new URL(portcullis.config.issuer), { ...metadata, software_statement: ssa } as Partial<oc.ClientMetadata>, oc.PrivateKeyJwt({ key: software.privateKey, kid: software.publicJwk.kid }), { [oc.customFetch]: fetchTls as never });
    assert.equal(config.clientMetadata()['software_id'], softwareId);
  });

  test('a request without a software statement is refused', async () => {
    const { status, body } = await register(JSON.stringify(metadata), 'application/json');
    assert.equal(status, 400);
    assert.equal(body['error'], 'invalid_software_statement');
  });

  test('a forged statement (signed by a key no trusted directory holds) is unapproved', async () => {
    const { privateKey } = await generateKeyPair('PS256');
    const forged = await new SignJWT({ iss: 'Portcullis Sandbox Directory', jti: randomUUID(), org_id: 'o', org_name: 'o', ...statementClaims(`software-${randomUUID()}`) })
      .setProtectedHeader({ alg: 'PS256', kid: 'forged-key' })
      .setIssuedAt()
      .sign(privateKey);
    const { status, body } = await register(JSON.stringify({ ...metadata, software_statement: forged }), 'application/json');
    assert.equal(status, 400);
    assert.equal(body['error'], 'unapproved_software_statement');
  });

  test('an expired statement is invalid', async () => {
    const ssa = await portcullis.directory.issueSoftwareStatement({ ...statementClaims(`software-${randomUUID()}`), iat: Math.floor(Date.now() / 1000) - 7200 }, { expiresIn: '-1h' });
    const { status, body } = await register(JSON.stringify({ ...metadata, software_statement: ssa }), 'application/json');
    assert.equal(status, 400);
    assert.equal(body['error'], 'invalid_software_statement');
    assert.match(String(body['error_description']), /expired/);
  });

  test('a tampered statement is invalid', async () => {
    const ssa = await portcullis.directory.issueSoftwareStatement(statementClaims(`software-${randomUUID()}`));
    const [header, payload, signature] = ssa.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    claims.software_roles = ['AISP', 'PISP', 'CBPII'];
    const tampered = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    const { status, body } = await register(JSON.stringify({ ...metadata, software_statement: tampered }), 'application/json');
    assert.equal(status, 400);
    assert.equal(body['error'], 'invalid_software_statement');
  });

  test('a redirect URI outside the statement is refused with invalid_redirect_uri', async () => {
    const ssa = await portcullis.directory.issueSoftwareStatement(statementClaims(`software-${randomUUID()}`));
    const { status, body } = await register(JSON.stringify({ ...metadata, redirect_uris: ['https://evil.example/cb'], software_statement: ssa }), 'application/json');
    assert.equal(status, 400);
    assert.equal(body['error'], 'invalid_redirect_uri');
  });

  test('metadata FAPI forbids is refused with invalid_client_metadata', async () => {
    const ssa = await portcullis.directory.issueSoftwareStatement(statementClaims(`software-${randomUUID()}`));
    for (const forbidden of [{ token_endpoint_auth_method: 'client_secret_basic' }, { token_endpoint_auth_signing_alg: 'RS256' }, { id_token_signed_response_alg: 'none' }, { grant_types: ['implicit'] }, { response_types: ['code id_token'] }]) {
      const { status, body } = await register(JSON.stringify({ ...metadata, ...forbidden, software_statement: ssa }), 'application/json');
      assert.equal(status, 400, JSON.stringify(forbidden));
      assert.equal(body['error'], 'invalid_client_metadata', `${JSON.stringify(forbidden)}: ${JSON.stringify(body)}`);
    }
  });

  test('a registration request signed by a key that is not the software\'s is refused', async () => {
    const softwareId = `software-${randomUUID()}`;
    const ssa = await portcullis.directory.issueSoftwareStatement(statementClaims(softwareId));
    const other = await createSoftwareKeys('PS256');
    const request = await signRegistrationRequest({ ...metadata, software_statement: ssa }, { ...other, publicJwk: { ...other.publicJwk, kid: software.publicJwk.kid } }, { audience: portcullis.config.issuer, softwareId });
    const { status, body } = await register(request, 'application/jwt');
    assert.equal(status, 400);
    assert.equal(body['error'], 'invalid_client_metadata');
  });

  test('a signed registration request replayed (the same jti) registers nothing the second time', async () => {
    const softwareId = `software-${randomUUID()}`;
    const ssa = await portcullis.directory.issueSoftwareStatement(statementClaims(softwareId));
    const request = await signRegistrationRequest({ ...metadata, software_statement: ssa }, software, { audience: portcullis.config.issuer, softwareId });
    assert.equal((await register(request, 'application/jwt')).status, 201);
    const replayed = await register(request, 'application/jwt');
    assert.equal(replayed.status, 400);
    assert.equal(replayed.body['error'], 'invalid_client_metadata');
    assert.equal(replayed.body['error_description'], 'registration request jti has been used before');
  });
});

describe('client management (RFC 7592)', () => {
  test('read, update (with the statement again) and delete a registration with its access token; each change is announced', async (t) => {
    const softwareId = `software-${randomUUID()}`;
    const announced: Array<[string, unknown]> = [];
    const stops = (['client.registered', 'client.updated', 'client.deleted'] as const).map((name) => portcullis.events.on(name, (event) => void announced.push([event.name, event.payload])));
    t.after(() => stops.forEach((stop) => stop()));
    const ssa = await portcullis.directory.issueSoftwareStatement(statementClaims(softwareId));
    const created = await register(JSON.stringify({ ...metadata, software_statement: ssa }), 'application/json');
    assert.equal(created.status, 201);
    const uri = String(created.body['registration_client_uri']);
    const clientId = String(created.body['client_id']);
    let token = String(created.body['registration_access_token']);

    const read = await fetchTls(uri, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(read.status, 200);
    const readBody = (await read.json()) as Record<string, unknown>;
    assert.equal(readBody['client_id'], clientId);
    token = String(readBody['registration_access_token'] ?? token);

    const withoutStatement = await fetchTls(uri, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...metadata, client_id: clientId }) });
    assert.equal(withoutStatement.status, 400);
    assert.equal(((await withoutStatement.json()) as Record<string, unknown>)['error'], 'invalid_software_statement');

    const updated = await fetchTls(uri, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...metadata, client_id: clientId, scope: 'openid accounts', software_statement: ssa }) });
    assert.equal(updated.status, 200);
    const updatedBody = (await updated.json()) as Record<string, unknown>;
    assert.equal(updatedBody['scope'], 'openid accounts');
    token = String(updatedBody['registration_access_token'] ?? token);

    const deleted = await fetchTls(uri, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    assert.equal(deleted.status, 204);
    const gone = await fetchTls(uri, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(gone.status, 401);
    assert.deepEqual(announced.filter(([, payload]) => (payload as { clientId: string }).clientId === clientId), [
      ['client.registered', { clientId, via: 'registration', softwareId }],
      ['client.updated', { clientId, via: 'registration' }],
      ['client.deleted', { clientId, via: 'registration' }],
    ], 'each change is announced once, and a refused update is not');
  });
});
