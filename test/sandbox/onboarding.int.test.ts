import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { strFromU8, unzipSync } from 'fflate';
import { decodeJwt, importJWK, type CryptoKey, type JWK } from 'jose';
import * as oc from 'openid-client';

import { signRegistrationRequest } from '../../sandbox/directory/sign-registration-request.ts';
import type { SoftwareKeys, SoftwarePublicJwk } from '../../sandbox/directory/software-keys.ts';
import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { verifyCertificateChain } from '../../src/pki/verify-certificate-chain.ts';
import { CustomerBrowser } from '../helpers/customer-browser.ts';
import { ALICE } from '../helpers/ob-partner.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch, type TlsIdentity } from '../helpers/tls-fetch.ts';

/*
 * A partner onboards itself through the sandbox directory's API, then registers with the bank as
 * in production: the software statement in a DCR request over mutual TLS with the transport
 * certificate of its bundle, and a first call with the resulting client.
 */

let portcullis: TestPortcullis;
let api: string;
let browserFetch: typeof fetch;
before(async () => {
  portcullis = await startTestPortcullis();
  api = `${portcullis.urls.browser}/sandbox/directory/v1`;
  browserFetch = tlsFetch(portcullis.caPem);
});
after(() => portcullis?.close());

async function send(method: string, path: string, options: { body?: unknown; raw?: string; token?: string; type?: string } = {}) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = options.type ?? 'application/json';
  const response = await browserFetch(`${api}${path}`, { method, headers, body });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, headers: response.headers, bytes, json: isJson ? JSON.parse(strFromU8(bytes)) : undefined };
}

async function signUp(name = 'Acme Budgeting Ltd') {
  const answer = await send('POST', '/organisations', { body: { name, contact_email: 'dev@acme.example' } });
  assert.equal(answer.status, 201, JSON.stringify(answer.json));
  return { orgId: answer.json.organisation_id as string, token: answer.json.token as string, answer };
}

const softwareRequest = { client_name: 'Acme Budget', roles: ['AISP', 'PISP'], redirect_uris: ['https://acme.example/cb', 'https://localhost:8447/callback'], logo_uri: 'https://acme.example/logo.png' };

async function createSoftware(organisation: { orgId: string; token: string }) {
  const answer = await send('POST', `/organisations/${organisation.orgId}/software-statements`, { body: softwareRequest, token: organisation.token });
  assert.equal(answer.status, 201, JSON.stringify(answer.json));
  return answer;
}

/** The bundle, unzipped: file name (without its folder) → text. */
async function downloadBundle(organisation: { orgId: string; token: string }, softwareId: string): Promise<Record<string, string>> {
  const answer = await send('GET', `/organisations/${organisation.orgId}/software-statements/${softwareId}/bundle`, { token: organisation.token });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('content-type'), 'application/zip');
  assert.equal(answer.headers.get('content-disposition'), `attachment; filename="sandbox-${softwareId}.zip"`);
  const files = unzipSync(answer.bytes);
  return Object.fromEntries(Object.entries(files).map(([name, content]) => {
    assert.ok(name.startsWith(`sandbox-${softwareId}/`), name);
    return [name.slice(`sandbox-${softwareId}/`.length), strFromU8(content)];
  }));
}

async function softwareKeysOf(bundle: Record<string, string>): Promise<SoftwareKeys> {
  const jwk = JSON.parse(bundle['signing-key.jwk.json']!) as JWK;
  const publicJwk = (JSON.parse(bundle['signing-jwks.json']!) as { keys: SoftwarePublicJwk[] }).keys[0]!;
  return { privateKey: (await importJWK(jwk, 'PS256')) as CryptoKey, publicJwk, jwks: { keys: [publicJwk] } };
}

interface PostmanRequest {
  method: string;
  url: string;
  header?: { key: string; value: string }[];
  body?: { mode: 'urlencoded'; urlencoded: { key: string; value: string }[] } | { mode: 'raw'; raw: string };
}

/** Sends a Postman request as Postman would, its `{{variables}}` filled in (the scripts' work is the caller's). */
async function sendPostmanRequest(request: PostmanRequest, fill: (text: string) => string, send: typeof fetch) {
  const headers = Object.fromEntries((request.header ?? []).map(({ key, value }) => [key, fill(value)]));
  let body: string | undefined;
  if (request.body?.mode === 'raw') body = fill(request.body.raw);
  if (request.body?.mode === 'urlencoded') {
    body = new URLSearchParams(request.body.urlencoded.map(({ key, value }): [string, string] => [key, fill(value)])).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const response = await send(fill(request.url), { method: request.method, headers, body });
  return { status: response.status, json: await response.json() as Record<string, any> };
}

describe('self-service onboarding, then registration with the bank', () => {
  it('signs up, creates a software statement, downloads its bundle, registers with it over mutual TLS and creates a consent', async () => {
    const organisation = await signUp();
    assert.match(organisation.token, /^sbx_[A-Za-z0-9_-]{43}$/);
    assert.match(organisation.orgId, /^SBX[A-Z0-9]{15}$/);
    assert.equal(organisation.answer.headers.get('cache-control'), 'no-store');
    assert.equal(organisation.answer.headers.get('location'), `/sandbox/directory/v1/organisations/${organisation.orgId}`);

    const created = await createSoftware(organisation);
    const softwareId = created.json.software_id as string;
    assert.deepEqual({ ...created.json, software_statement: undefined, transport_certificate: undefined, signing_jwks: undefined, created_at: undefined, links: undefined }, {
      ...softwareRequest, software_id: softwareId, organisation_id: organisation.orgId,
      software_statement: undefined, transport_certificate: undefined, signing_jwks: undefined, created_at: undefined, links: undefined,
    });
    const read = await send('GET', `/organisations/${organisation.orgId}/software-statements/${softwareId}`, { token: organisation.token });
    assert.deepEqual(read.json, created.json);

    const bundle = await downloadBundle(organisation, softwareId);
    assert.deepEqual(Object.keys(bundle).sort(), ['README.txt', 'demo-partner.config.json', 'postman_collection.json', 'signing-jwks.json', 'signing-key.jwk.json', 'software-statement.jwt', 'transport-ca.pem', 'transport.key', 'transport.pem']);
    const ssa = decodeJwt(bundle['software-statement.jwt']!.trim());
    assert.equal(ssa['software_id'], softwareId);
    assert.equal(ssa['org_id'], organisation.orgId);
    assert.equal(ssa['org_name'], 'Acme Budgeting Ltd');
    assert.deepEqual(ssa['software_roles'], ['AISP', 'PISP']);
    assert.deepEqual(ssa['software_redirect_uris'], softwareRequest.redirect_uris);
    assert.equal(ssa['software_logo_uri'], softwareRequest.logo_uri);
    assert.deepEqual(ssa['software_jwks'], JSON.parse(bundle['signing-jwks.json']!));
    assert.equal(JSON.parse(bundle['demo-partner.config.json']!).redirectUri, 'https://localhost:8447/callback');

    // The transport certificate: the directory's, for this software, with the key in the bundle.
    const certificate = new X509Certificate(bundle['transport.pem']!);
    assert.equal(certificate.subject, `C=GB\nO=Portcullis Sandbox Directory\nOU=${organisation.orgId}\nCN=${softwareId}`);
    assert.ok(certificate.checkPrivateKey(createPrivateKey(bundle['transport.key']!)));
    assert.ok(verifyCertificateChain(bundle['transport.pem']!, [bundle['transport-ca.pem']!]));
    assert.deepEqual(certificate.keyUsage, ['1.3.6.1.5.5.7.3.2']);

    // DCR exactly as in production: a signed registration request carrying the SSA, over mutual TLS.
    const transport: TlsIdentity = { certificatePem: bundle['transport.pem']!, privateKeyPem: bundle['transport.key']! };
    const partnerFetch = tlsFetch(portcullis.caPem, transport);
    const keys = await softwareKeysOf(bundle);
    const request = await signRegistrationRequest({
      software_statement: bundle['software-statement.jwt']!.trim(),
      redirect_uris: ['https://localhost:8447/callback'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'PS256',
      tls_client_certificate_bound_access_tokens: true,
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    }, keys, { audience: portcullis.config.issuer, softwareId });
    const registered = await partnerFetch(`${portcullis.urls.partner}/register`, { method: 'POST', headers: { 'content-type': 'application/jwt', accept: 'application/json' }, body: request });
    const client = await registered.json() as Record<string, unknown>;
    assert.equal(registered.status, 201, JSON.stringify(client));
    assert.equal(client['software_id'], softwareId);
    assert.equal(client['client_name'], 'Acme Budget');

    const config = await oc.discovery(new URL(portcullis.config.issuer), client['client_id'] as string, { use_mtls_endpoint_aliases: true }, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.publicJwk.kid }), { [oc.customFetch]: partnerFetch as never });
    const { access_token: accessToken } = await oc.clientCredentialsGrant(config, { scope: 'accounts' });
    const consent = await partnerFetch(`${portcullis.urls.partner}${CONSENT_KINDS['account-access'].path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ Data: { Permissions: ['ReadAccountsBasic', 'ReadBalances'] }, Risk: {} }),
    });
    const consentBody = await consent.json() as { Data: { Status: string } };
    assert.equal(consent.status, 201, JSON.stringify(consentBody));
    assert.equal(consentBody.Data.Status, 'AwaitingAuthorisation');
  });

  it('follows the Postman collection: a tls_client_auth client, a consent, PAR, the customer\'s approval and the code exchanged, with no signature at all', async () => {
    const organisation = await signUp();
    const softwareId = (await createSoftware(organisation)).json.software_id as string;
    const bundle = await downloadBundle(organisation, softwareId);
    const collection = JSON.parse(bundle['postman_collection.json']!);
    assert.equal(collection.info.schema, 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    const variables = Object.fromEntries((collection.variable as { key: string; value: string }[]).map(({ key, value }) => [key, value]));
    const fill = (text: string) => text.replace(/\{\{(\$?\w+)\}\}/g, (_, name: string) => (name === '$guid' ? randomUUID() : variables[name] ?? ''));
    const register = collection.item[0].request;
    assert.equal(fill(register.url), `${portcullis.urls.partner}/register`);

    const transport: TlsIdentity = { certificatePem: bundle['transport.pem']!, privateKeyPem: bundle['transport.key']! };
    const partnerFetch = tlsFetch(portcullis.caPem, transport);
    const run = (index: number) => sendPostmanRequest(collection.item[index].request, fill, partnerFetch);

    const registered = await run(0);
    assert.equal(registered.status, 201, JSON.stringify(registered.json));
    assert.equal(registered.json.token_endpoint_auth_method, 'tls_client_auth');
    variables['client_id'] = registered.json.client_id;
    const clientToken = await run(1);
    assert.equal(clientToken.status, 200, JSON.stringify(clientToken.json));
    variables['client_token'] = clientToken.json.access_token;
    // What the requests' pre-request scripts set.
    Object.assign(variables, { consent_expires: new Date(Date.now() + 90 * 86_400_000).toISOString(), transactions_from: new Date(Date.now() - 365 * 86_400_000).toISOString() });
    const consent = await run(2);
    assert.equal(consent.status, 201, JSON.stringify(consent.json));
    variables['consent_id'] = consent.json.Data.ConsentId;
    const verifier = oc.randomPKCECodeVerifier();
    Object.assign(variables, { code_verifier: verifier, code_challenge: await oc.calculatePKCECodeChallenge(verifier), state: 'postman-state' });
    const pushed = await run(3);
    assert.equal(pushed.status, 201, JSON.stringify(pushed.json));

    const authorization = new URL(`${variables['issuer']}/authorize?client_id=${encodeURIComponent(variables['client_id']!)}&request_uri=${encodeURIComponent(pushed.json.request_uri)}`);
    const callback = await new CustomerBrowser(tlsFetch(portcullis.caPem), [portcullis.urls.browser]).authorize(authorization, ALICE);
    assert.equal(`${callback.origin}${callback.pathname}`, variables['redirect_uri']);
    assert.equal(callback.searchParams.get('state'), 'postman-state');
    variables['code'] = callback.searchParams.get('code')!;
    const customerToken = await run(4);
    assert.equal(customerToken.status, 200, JSON.stringify(customerToken.json));
    assert.match(customerToken.json.scope, /accounts/);
    variables['account_id'] = 'acc-1';
    assert.deepEqual(collection.item.slice(5).map((item: { request: { url: string } }) => fill(item.request.url)), [
      `${portcullis.urls.partner}/open-banking/v3.1/aisp/accounts`,
      `${portcullis.urls.partner}/open-banking/v3.1/aisp/accounts/acc-1/balances`,
      `${portcullis.urls.partner}/open-banking/v3.1/aisp/accounts/acc-1/transactions`,
    ]);
  });

  it('gives the same keys on a second download: they are kept sealed, not in clear', async () => {
    const organisation = await signUp();
    const softwareId = (await createSoftware(organisation)).json.software_id as string;
    const first = await downloadBundle(organisation, softwareId);
    const second = await downloadBundle(organisation, softwareId);
    assert.equal(second['transport.key'], first['transport.key']);
    assert.equal(second['signing-key.jwk.json'], first['signing-key.jwk.json']);
    const row = await portcullis.db('sandbox_directory_software').where({ software_id: softwareId }).first();
    assert.ok(!row.sealed_keys.includes('PRIVATE KEY'));
    assert.ok(!row.sealed_keys.includes(JSON.parse(first['signing-key.jwk.json']!).d));
    const organisationRow = await portcullis.db('sandbox_directory_organisations').where({ org_id: organisation.orgId }).first();
    assert.notEqual(organisationRow.token_hash, organisation.token);

    // Sealed under some other key-encryption key: the partner is told what to do, not given a 500.
    await portcullis.db('sandbox_directory_software').where({ software_id: softwareId }).update({ sealed_keys: `v1.${'A'.repeat(16)}.${'B'.repeat(22)}.${'C'.repeat(40)}` });
    const unopenable = await send('GET', `/organisations/${organisation.orgId}/software-statements/${softwareId}/bundle`, { token: organisation.token });
    assert.equal(unopenable.status, 409);
    assert.match(unopenable.json.detail, /can no longer be opened .*: create a new software statement/);
  });
});

describe('the onboarding API refuses bad requests with problem details', () => {
  const problemType = (slug: string) => `${portcullis.config.issuer}/docs/problems/${slug}`;
  function assertProblem(answer: Awaited<ReturnType<typeof send>>, status: number, slug: string) {
    assert.equal(answer.status, status, JSON.stringify(answer.json));
    assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(answer.json.type, problemType(slug));
    assert.equal(answer.json.status, status);
    assert.match(answer.json.instance, /^urn:uuid:/);
  }

  it('names each missing or malformed sign-up field, and refuses fields it does not know', async () => {
    const missing = await send('POST', '/organisations', { body: {} });
    assertProblem(missing, 400, 'validation-failed');
    assert.deepEqual(missing.json.errors.map((error: { path: string }) => error.path).sort(), ['contact_email', 'name']);
    const malformed = await send('POST', '/organisations', { body: { name: ' ', contact_email: 'not-an-email', website: 'https://acme.example' } });
    assertProblem(malformed, 400, 'validation-failed');
    assert.deepEqual(malformed.json.errors.map((error: { path: string }) => error.path).sort(), ['', 'contact_email', 'name']);
    assertProblem(await send('POST', '/organisations', { raw: '{"name":' }), 400, 'bad-request');
    assertProblem(await send('POST', '/organisations', { raw: 'name=Acme', type: 'application/x-www-form-urlencoded' }), 415, 'unsupported-media-type');
    // Refused at the listener's edge, before any route, in the API's own format all the same.
    assertProblem(await send('POST', '/organisations', { raw: '{"name":"a\\u0000b","contact_email":"dev@acme.example"}' }), 400, 'bad-request');
  });

  it('refuses software statement requests with bad redirect URIs, roles or names', async () => {
    const organisation = await signUp();
    const path = `/organisations/${organisation.orgId}/software-statements`;
    const bad = await send('POST', path, { token: organisation.token, body: { ...softwareRequest, redirect_uris: ['http://acme.example/cb', 'https://acme.example/cb#x'], roles: ['AISP', 'BANK'], client_name: '' } });
    assertProblem(bad, 400, 'validation-failed');
    assert.deepEqual(bad.json.errors.map((error: { path: string }) => error.path).sort(), ['client_name', 'redirect_uris[0]', 'redirect_uris[1]', 'roles[1]']);
    const none = await send('POST', path, { token: organisation.token, body: { client_name: 'Acme', roles: [], redirect_uris: [] } });
    assert.deepEqual(none.json.errors.map((error: { path: string }) => error.path).sort(), ['redirect_uris', 'roles']);
  });

  it('needs the organisation\'s own token, and shows an organisation only its own software', async () => {
    const acme = await signUp('Acme');
    const other = await signUp('Other');
    const acmeSoftware = (await createSoftware(acme)).json.software_id as string;
    const path = `/organisations/${acme.orgId}/software-statements`;

    const anonymous = await send('POST', path, { body: softwareRequest });
    assertProblem(anonymous, 401, 'unauthenticated');
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="sandbox-directory"');
    const wrong = await send('GET', `${path}/${acmeSoftware}`, { token: other.token });
    assertProblem(wrong, 401, 'unauthenticated');
    assert.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="sandbox-directory", error="invalid_token"');
    assertProblem(await send('GET', `${path}/${acmeSoftware}/bundle`, { token: 'sbx_made-up' }), 401, 'unauthenticated');
    assertProblem(await send('POST', '/organisations/SBXNOSUCHORG000000/software-statements', { token: acme.token, body: softwareRequest }), 404, 'not-found');
    // Their own token, another organisation's software: as if it did not exist.
    assertProblem(await send('GET', `/organisations/${other.orgId}/software-statements/${acmeSoftware}`, { token: other.token }), 404, 'not-found');
    assertProblem(await send('GET', `/organisations/${other.orgId}/software-statements/${acmeSoftware}/bundle`, { token: other.token }), 404, 'not-found');
  });

  it('answers paths and methods it does not have with 404 and 405', async () => {
    assertProblem(await send('GET', '/nothing-here'), 404, 'not-found');
    const wrongMethod = await send('DELETE', '/organisations');
    assertProblem(wrongMethod, 405, 'method-not-allowed');
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
  });

  // Last: it spends this address's sign-ups for the hour.
  it('limits sign-ups from one address to 10 an hour', async () => {
    let answer: Awaited<ReturnType<typeof send>> | undefined;
    for (let attempt = 0; attempt <= 10; attempt += 1) {
      answer = await send('POST', '/organisations', { body: { name: 'Spam Ltd', contact_email: 'spam@spam.example' } });
      if (answer.status !== 201) break;
    }
    assertProblem(answer!, 429, 'rate-limited');
    const retryAfter = Number(answer!.headers.get('retry-after'));
    assert.ok(retryAfter > 3000 && retryAfter <= 3600, String(retryAfter));
  });
});
