/**
 * Input PostgreSQL cannot store (a NUL, an unpaired surrogate, bytes that are not UTF-8) reaching
 * any endpoint, through the query, an urlencoded or JSON body, a path segment, a JWT inside a
 * parameter or header: each is refused at the listener's edge, in the endpoint's own error format,
 * where it used to reach the store and answer 500 (`invalid byte sequence for encoding "UTF8"`).
 * Runs on whichever store the suite runs on (PGlite, or PostgreSQL with DATABASE_URL).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { Agent, request } from 'undici';

import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { obPartner, type ObAnswer, type ObPartner } from '../helpers/ob-partner.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';
import { createSoftwareKeys } from '../../sandbox/directory/software-keys.ts';
import { REDIRECT_URI, registerKeyClient } from '../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { dpopKey, dpopProof, unsecuredJwt } from '../helpers/raw-oauth.ts';
import { domesticPaymentBody } from '../consent/consent-bodies.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AIS = CONSENT_KINDS['account-access'].path;
const PIS = CONSENT_KINDS['domestic-payment'].path;
const TEXT = 'must be UTF-8 text without NUL or unpaired surrogate characters';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let portcullis: TestPortcullis;
let agents: { browser: Agent; partner: Agent };
let clientId: string;
let accountsToken: string;
let paymentsToken: string;
let partner: ObPartner;

before(async () => {
  portcullis = await startTestPortcullis();
  agents = {
    browser: new Agent({ connect: { ca: portcullis.caPem } }),
    partner: new Agent({ connect: { ca: portcullis.caPem, cert: portcullis.sampleClient.certificatePem, key: portcullis.sampleClient.privateKeyPem } }),
  };
  ({ clientId } = await registerKeyClient(portcullis));
  partner = await obPartner(portcullis);
  accountsToken = await partner.token('accounts');
  paymentsToken = await partner.token('payments');
});
after(async () => {
  await agents?.browser.close();
  await agents?.partner.close();
  await portcullis?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function send(listener: 'browser' | 'partner', path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  const response = await request(`${portcullis.urls[listener]}${path}`, { method: (options.method ?? 'GET') as 'GET', headers: options.headers, body: options.body, dispatcher: agents[listener] });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

function assertOAuthError(answer: Answer, status: number, body: { error: string; error_description: string }): void {
  assert.equal(answer.status, status, answer.text);
  assert.deepEqual(JSON.parse(answer.text), body);
  assert.equal(answer.headers['cache-control'], 'no-store');
  assert.match(String(answer.headers['x-fapi-interaction-id']), UUID);
}

/** Registration metadata that would register: a fresh software statement from the sandbox directory. */
async function registrationMetadata(): Promise<Record<string, unknown>> {
  const software = await createSoftwareKeys('PS256');
  const softwareId = `software-${randomUUID()}`;
  const ssa = await portcullis.directory.issueSoftwareStatement({ software_id: softwareId, software_redirect_uris: [REDIRECT_URI], software_roles: ['AISP'], software_jwks: software.jwks });
  return { software_statement: ssa, token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'PS256', grant_types: ['client_credentials'], redirect_uris: [REDIRECT_URI], scope: 'accounts' };
}

const UNKNOWN_CLIENT = { error: 'invalid_client', error_description: 'client authentication failed' };
const invalidRequest = (description: string) => ({ error: 'invalid_request', error_description: description });

function assertObError(answer: Answer | ObAnswer, errors: Array<{ ErrorCode: string; Message: string; Path?: string }>): void {
  assert.equal(answer.status, 400, answer.text);
  const body = JSON.parse(answer.text);
  assertMatchesObSchema('account-info', 'OBErrorResponse1', body);
  assert.match(body.Id, UUID);
  assert.deepEqual(body, { Code: '400 BadRequest', Id: body.Id, Message: errors[0]!.Message, Errors: errors });
  // undici's fetch answers with its own Headers class, so no instanceof.
  const interactionId = typeof answer.headers.get === 'function' ? (answer.headers as Headers).get('x-fapi-interaction-id') : (answer.headers as Answer['headers'])['x-fapi-interaction-id'];
  assert.match(String(interactionId), UUID);
}

function assertErrorPage(answer: Answer, message: string): void {
  assert.equal(answer.status, 400, answer.text.slice(0, 500));
  assert.match(String(answer.headers['content-type']), /^text\/html/);
  assert.equal(answer.headers['cache-control'], 'no-store');
  assert.match(String(answer.headers['content-security-policy']), /default-src 'none'/);
  assert.match(answer.text, new RegExp(`<p>${message}</p>`));
  assert.match(answer.text, /Error code: <code>invalid_request<\/code>/);
}

describe('OAuth endpoints: RFC 6749 JSON', () => {
  test('/token: a client_id with a NUL, an overlong or an invalid byte is an unknown client', async () => {
    for (const listener of ['partner', 'browser'] as const) {
      for (const clientIdValue of ['a%00b', 'a%C0%80b', 'a%FFb']) {
        assertOAuthError(await send(listener, '/token', { method: 'POST', headers: FORM, body: `grant_type=client_credentials&client_id=${clientIdValue}` }), 401, UNKNOWN_CLIENT);
      }
    }
  });

  test('/token: a client assertion whose subject has a NUL is an unknown client', async () => {
    const assertion = unsecuredJwt({ iss: 'a\u0000b', sub: 'a\u0000b', aud: portcullis.config.issuer, jti: randomUUID(), exp: Math.floor(Date.now() / 1000) + 60 });
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
    assertOAuthError(await send('partner', '/token', { method: 'POST', headers: FORM, body: form.toString() }), 401, UNKNOWN_CLIENT);
  });

  test('/token: any other parameter is an invalid_request naming it; so is the query string', async () => {
    assertOAuthError(await send('partner', '/token', { method: 'POST', headers: FORM, body: `grant_type=client_credentials&client_id=${clientId}&scope=accounts%00` }), 400, invalidRequest(`parameter scope ${TEXT}`));
    assertOAuthError(await send('partner', '/token?scope=%ED%A0%80', { method: 'POST', headers: FORM, body: `grant_type=client_credentials&client_id=${clientId}` }), 400, invalidRequest(`query parameter scope ${TEXT}`));
    assertOAuthError(await send('partner', '/token', { method: 'POST', headers: FORM, body: Buffer.from(`grant_type=client_credentials&client_id=${clientId}&scope=\xff`, 'latin1') }), 400, invalidRequest(`the request body ${TEXT}`));
  });

  test('/token: a DPoP proof whose claims carry a NUL is an invalid_request naming the header', async () => {
    const url = `${portcullis.urls.browser}/token`;
    const proof = await dpopProof(await dpopKey(), 'POST', url, { jti: 'a\u0000b' });
    assertOAuthError(await send('browser', '/token', { method: 'POST', headers: { ...FORM, dpop: proof }, body: `grant_type=client_credentials&client_id=${clientId}` }), 400, invalidRequest(`header dpop ${TEXT}`));
  });

  test('/par: a client_id with a NUL is an unknown client; another parameter an invalid_request', async () => {
    assertOAuthError(await send('partner', '/par', { method: 'POST', headers: FORM, body: 'client_id=a%00b&response_type=code' }), 401, UNKNOWN_CLIENT);
    assertOAuthError(await send('partner', '/par', { method: 'POST', headers: FORM, body: `client_id=${clientId}&response_type=code&state=x%00y` }), 400, invalidRequest(`parameter state ${TEXT}`));
  });

  test('introspection and revocation: a client_id with a NUL is an unknown client; a token with one an invalid_request', async () => {
    for (const path of ['/token/introspect', '/token/revoke']) {
      assertOAuthError(await send('partner', path, { method: 'POST', headers: FORM, body: 'client_id=a%00b&token=x' }), 401, UNKNOWN_CLIENT);
      assertOAuthError(await send('partner', path, { method: 'POST', headers: FORM, body: `client_id=${clientId}&token=a%00b` }), 400, invalidRequest(`parameter token ${TEXT}`));
    }
  });

  test('/register: a JSON body with a NUL in a field is an invalid_request naming the field', async () => {
    const body = JSON.stringify({ ...await registrationMetadata(), contacts: ['ops@tpp.example', 'a\u0000b'] });
    assertOAuthError(await send('partner', '/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body }), 400, invalidRequest(`body field contacts[1] ${TEXT}`));
  });
});

describe('browser pages: the error page', () => {
  test('/authorize: a NUL or an invalid byte in the query', async () => {
    assertErrorPage(await send('browser', '/authorize?client_id=a%00b&response_type=code'), `query parameter client_id ${TEXT}`);
    assertErrorPage(await send('browser', '/authorize?client_id=a%FFb&response_type=code'), `query parameter client_id ${TEXT}`);
    assertErrorPage(await send('browser', `/authorize?client_id=${clientId}&request_uri=urn:ietf:params:oauth:request_uri:a%00b`), `query parameter request_uri ${TEXT}`);
  });

  test('an interaction path with a NUL', async () => {
    assertErrorPage(await send('browser', '/interaction/a%00b'), `the request path ${TEXT}`);
  });

  test('the Connected apps sign-in form: a username with a NUL, after a real page load (session and CSRF token)', async () => {
    const page = await send('browser', '/connected-apps/sign-in');
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const form = new URLSearchParams({ csrf, username: 'alice\u0000', password: 'x' });
    assertErrorPage(await send('browser', '/connected-apps/sign-in', { method: 'POST', headers: { ...FORM, cookie }, body: form.toString() }), `parameter username ${TEXT}`);
  });
});

describe('the consent API: OBErrorResponse1', () => {
  const auth = () => ({ authorization: `Bearer ${accountsToken}`, accept: 'application/json' });
  const NOT_FOUND = [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: 'The requested resource was not found' }];

  test('GET and DELETE of a ConsentId with a NUL, an invalid byte or an encoded surrogate: not found', async () => {
    for (const id of ['aac-%00x', 'aac-%FFx', 'aac-%ED%A0%80x']) {
      assertObError(await send('partner', `${AIS}/${id}`, { headers: auth() }), NOT_FOUND);
      assertObError(await send('partner', `${AIS}/${id}`, { method: 'DELETE', headers: auth() }), NOT_FOUND);
    }
  });

  // Free text the spec allows in a payment: before, it validated and was stored (or 500ed).
  const withText = (replace: (json: string) => string) => replace(JSON.stringify(domesticPaymentBody()));
  const postPayment = (rawBody: string) => partner.call('POST', PIS, { rawBody, token: paymentsToken, sign: true });

  test('POST with \\u0000 or an unpaired surrogate inside a JSON string: Field.Invalid at its path', async () => {
    const nul = withText((json) => json.replace('"FRESCO-101"', '"FRESCO\\u0000101"'));
    assertObError(await postPayment(nul), [{ ErrorCode: 'UK.OBIE.Field.Invalid', Message: `Body field Data.Initiation.RemittanceInformation.Reference ${TEXT}`, Path: 'Data.Initiation.RemittanceInformation.Reference' }]);
    const surrogate = withText((json) => json.replace('"Internal ops code 5120101"', '"Internal \\ud800 code"'));
    assertObError(await postPayment(surrogate), [{ ErrorCode: 'UK.OBIE.Field.Invalid', Message: `Body field Data.Initiation.RemittanceInformation.Unstructured ${TEXT}`, Path: 'Data.Initiation.RemittanceInformation.Unstructured' }]);
  });

  test('POST with bytes that are not UTF-8: InvalidFormat', async () => {
    const [before, after] = withText((json) => json).split('FRESCO-101');
    const body = Buffer.concat([Buffer.from(before!), Buffer.from([0xc0, 0x80]), Buffer.from(after!)]);
    const answer = await send('partner', PIS, { method: 'POST', headers: { authorization: `Bearer ${paymentsToken}`, accept: 'application/json', 'content-type': 'application/json', 'x-idempotency-key': randomUUID() }, body });
    assertObError(answer, [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: `The request body ${TEXT}` }]);
  });

  test('a query parameter with a NUL: Field.Invalid naming it', async () => {
    assertObError(await send('partner', `${AIS}/aac-1?debug=%00`, { headers: auth() }), [{ ErrorCode: 'UK.OBIE.Field.Invalid', Message: `Query parameter debug ${TEXT}`, Path: 'debug' }]);
  });
});
