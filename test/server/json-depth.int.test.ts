/**
 * JSON nested deeper than `defaults.maxJsonDepth`, wherever a request carries it (a consent body,
 * a registration body, a JSON parameter, a JWT in a parameter or header), is refused at the
 * listener's edge, before anything recursive walks it: it used to overflow the stack (the consent
 * idempotency hash, JSON.stringify) and answer 500. Input at the limit still works.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { CompactSign } from 'jose';
import { Agent, request } from 'undici';

import { createSoftwareKeys } from '../../sandbox/directory/software-keys.ts';
import { defaults } from '../../src/config/defaults.ts';
import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { accountAccessBody } from '../consent/consent-bodies.ts';
import { obPartner } from '../helpers/ob-partner.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';
import { ACCOUNT_ACCESS_DETAILS, REDIRECT_URI, registerKeyClient, type PartnerKeys } from '../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { clientAssertion, dpopKey, dpopProof } from '../helpers/raw-oauth.ts';

const AIS = CONSENT_KINDS['account-access'].path;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const TOO_DEEP = `is nested more than ${defaults.maxJsonDepth} levels deep`;

/** `levels` arrays, one inside the next, around a 1: the text of JSON that deep. */
const nested = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

let portcullis: TestPortcullis;
let agent: Agent;
let client: { clientId: string; keys: PartnerKeys };
let accountsToken: string;

before(async () => {
  portcullis = await startTestPortcullis();
  agent = new Agent({ connect: { ca: portcullis.caPem, cert: portcullis.sampleClient.certificatePem, key: portcullis.sampleClient.privateKeyPem } });
  client = await registerKeyClient(portcullis);
  accountsToken = await (await obPartner(portcullis)).token('accounts');
});
after(async () => {
  await agent?.close();
  await portcullis?.close();
});

async function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const response = await request(`${portcullis.urls.partner}${path}`, { method: (options.method ?? 'POST') as 'POST', headers: options.headers, body: options.body, dispatcher: agent });
  return { status: response.statusCode, text: await response.body.text() };
}

/** A JWT signed by the client, its claims' JSON text followed by `"deep":<extra>`. */
async function signedWith(claims: Record<string, unknown>, extra: string): Promise<string> {
  const text = JSON.stringify(claims).replace(/}$/, `,"deep":${extra}}`);
  return new CompactSign(new TextEncoder().encode(text)).setProtectedHeader({ alg: client.keys.alg, kid: client.keys.kid }).sign(client.keys.privateKey);
}

function assertInvalidRequest(answer: { status: number; text: string }, description: string): void {
  assert.equal(answer.status, 400, answer.text);
  assert.deepEqual(JSON.parse(answer.text), { error: 'invalid_request', error_description: description });
}

describe('the consent API', () => {
  const post = (body: string) => send(AIS, { headers: { authorization: `Bearer ${accountsToken}`, accept: 'application/json', 'content-type': 'application/json', 'x-idempotency-key': randomUUID() }, body });
  // The body is level 1 and Data level 2 (its schema allows other properties than the spec's):
  // an array chain in Data adds its own levels.
  const withinData = (levels: number) => JSON.stringify(accountAccessBody()).replace('"Data":{', `"Data":{"Extra":${nested(levels)},`);

  test('a valid consent with a 15,000-deep array in Data (which allows extra properties) is refused: InvalidFormat', async () => {
    const answer = await post(withinData(15_000));
    assert.equal(answer.status, 400, answer.text.slice(0, 300));
    const body = JSON.parse(answer.text);
    assertMatchesObSchema('account-info', 'OBErrorResponse1', body);
    const message = `The request body ${TOO_DEEP}`;
    assert.deepEqual(body, { Code: '400 BadRequest', Id: body.Id, Message: message, Errors: [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: message }] });
  });

  test(`exactly ${defaults.maxJsonDepth} levels are accepted; one more is refused`, async () => {
    const atLimit = await post(withinData(defaults.maxJsonDepth - 2));
    assert.equal(atLimit.status, 201, atLimit.text);
    assert.equal((await post(withinData(defaults.maxJsonDepth - 1))).status, 400);
  });
});

/** Registration metadata with a fresh software statement from the sandbox directory, and the software's keys. */
async function registration() {
  const software = await createSoftwareKeys('PS256');
  const softwareId = `software-${randomUUID()}`;
  const ssa = await portcullis.directory.issueSoftwareStatement({ software_id: softwareId, software_redirect_uris: [REDIRECT_URI], software_roles: ['AISP'], software_jwks: software.jwks });
  const metadata = { software_statement: ssa, token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'PS256', grant_types: ['client_credentials'], redirect_uris: [REDIRECT_URI], scope: 'accounts' };
  return { metadata, software, softwareId };
}

const now = () => Math.floor(Date.now() / 1000);

describe('OAuth endpoints', () => {
  const pushed = async (form: Record<string, string>) => send('/par', {
    headers: FORM,
    body: new URLSearchParams({ client_id: client.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: await clientAssertion(client.keys, client.clientId, portcullis.config.issuer), ...form }).toString(),
  });
  const authorization = {
    response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid accounts', authorization_details: ACCOUNT_ACCESS_DETAILS,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
  };

  test('/register: a JSON body nested too deep, with a statement that would register it', async () => {
    const { metadata } = await registration();
    assertInvalidRequest(await send('/register', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata).replace(/}$/, `,"contacts":${nested(5_000)}}`) }), `the request body ${TOO_DEEP}`);
  });

  test('/register: a signed (application/jwt) request nested too deep, by the software its statement names', async () => {
    const { metadata, software, softwareId } = await registration();
    const claims = { ...metadata, iss: softwareId, aud: portcullis.config.issuer, jti: randomUUID(), iat: now(), exp: now() + 60 };
    const text = JSON.stringify(claims).replace(/}$/, `,"contacts":${nested(5_000)}}`);
    const body = await new CompactSign(new TextEncoder().encode(text)).setProtectedHeader({ alg: 'PS256', kid: software.publicJwk.kid! }).sign(software.privateKey);
    assertInvalidRequest(await send('/register', { headers: { 'content-type': 'application/jwt' }, body }), `the request body ${TOO_DEEP}`);
  });

  test('/par: a request object with a claim nested too deep', async () => {
    const requestObject = await signedWith({ ...authorization, client_id: client.clientId, iss: client.clientId, aud: portcullis.config.issuer, nbf: now(), exp: now() + 60, jti: randomUUID() }, nested(5_000));
    assertInvalidRequest(await pushed({ request: requestObject }), `parameter request ${TOO_DEEP}`);
  });

  test('/par: a claims parameter nested too deep', async () => {
    assertInvalidRequest(await pushed({ ...authorization, claims: `{"id_token":{"acr":{"values":${nested(5_000)}}}}` }), `parameter claims ${TOO_DEEP}`);
  });

  test('/token: a client assertion with a claim nested too deep identifies no client', async () => {
    const assertion = await signedWith({ iss: client.clientId, sub: client.clientId, aud: portcullis.config.issuer, jti: randomUUID(), iat: now(), exp: now() + 60 }, nested(5_000));
    const answer = await send('/token', { headers: FORM, body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion }).toString() });
    assert.equal(answer.status, 401, answer.text);
    assert.deepEqual(JSON.parse(answer.text), { error: 'invalid_client', error_description: 'client authentication failed' });
  });

  test('/token: a DPoP proof with a claim nested too deep', async () => {
    const url = `${portcullis.urls.partner}/token`;
    const proof = await dpopProof(await dpopKey(), 'POST', url, { deep: JSON.parse(nested(100)) });
    const answer = await send('/token', { headers: { ...FORM, dpop: proof }, body: `grant_type=client_credentials&client_id=${client.clientId}` });
    assertInvalidRequest(answer, `header dpop ${TOO_DEEP}`);
  });
});
