import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JSONWebKeySet, type JWTPayload } from 'jose';
import * as oc from 'openid-client';

import { loadSigningKeys } from '../../../src/auth/keys/signing-keys.service.ts';
import { defaults } from '../../../src/config/defaults.ts';
import { CONSENT_KINDS } from '../../../src/consent/consent-kinds.ts';
import { findConsent } from '../../../src/consent/consent.store.ts';
import { verifyCallerIdentity } from '../../../src/gateway/upstream/caller-identity.ts';
import type { ObPermission } from '../../../src/openbanking/ob-vocabulary.ts';
import { issueClientCertificate } from '../../../src/pki/issue-client-certificate.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { accountAccessBody, domesticPaymentBody } from '../../consent/consent-bodies.ts';
import { CustomerBrowser } from '../../helpers/customer-browser.ts';
import { pollUntil } from '../../helpers/eventually.ts';
import { addTestApi, ownObBasePath } from '../../helpers/gateway-catalogue.ts';
import { ACCOUNTS, startObBankUpstream } from '../../helpers/ob-bank-upstream.ts';
import { consentAuthorization } from '../../helpers/ob-authorization.ts';
import { obPartner, type ObAnswer, type ObPartner } from '../../helpers/ob-partner.ts';
import { assertMatchesObSchema } from '../../helpers/ob-schema.ts';
import { discover, registerKeyClient } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { storeKind } from '../../helpers/store.ts';
import { tlsFetch, type TlsIdentity } from '../../helpers/tls-fetch.ts';
import type { UpstreamServer } from '../../helpers/upstream-server.ts';
import { refusingUrl } from '../upstream/upstream-servers.ts';

/*
 * The Open Banking accounts flow through the gateway (issue 11, steps 2, 3 and 8 for AIS): a
 * partner creates an account access consent, the customer chooses accounts on the bank's pages,
 * and the partner's customer token, presented by its holder on the mutual-TLS listener, reads
 * only what the consent allows, whatever the bank core answers. Then every refusal, each with its
 * status and OBErrorResponse1 body, and none of them reaching the bank core.
 */

const AIS_CONSENTS = CONSENT_KINDS['account-access'].path;
const PIS_CONSENTS = CONSENT_KINDS['domestic-payment'].path;
const AISP = ownObBasePath('aisp');
/** A later version of the API, whose bank core is down. */
const AISP_DOWN = ownObBasePath('aisp', 'v4.0');
const ALICE = { username: 'alice', password: 'alice-sandbox-pass' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DETAIL: ObPermission[] = ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'];

let app: TestPortcullis;
let partner: ObPartner;
let bank: UpstreamServer;
let send: typeof fetch;
/** Another partner's transport certificate, from the same CA. */
let otherCertificate: TlsIdentity;

before(async () => {
  bank = await startObBankUpstream();
  const down = await refusingUrl();
  app = await startTestPortcullis();
  send = tlsFetch(app.caPem);
  partner = await obPartner(app);
  const routes = ['/accounts', '/accounts/{AccountId}', '/accounts/{AccountId}/balances', '/accounts/{AccountId}/transactions'].map((path) => ({ method: 'GET', path, policy: { scopes: ['accounts'] } }));
  await addTestApi(app.db, app.events, { name: `accounts-${randomUUID()}`, basePath: AISP, authKind: 'fapi', upstreams: [{ url: bank.url, weight: 1 }], routes });
  await addTestApi(app.db, app.events, { name: `accounts-${randomUUID()}`, version: 'v4', basePath: AISP_DOWN, authKind: 'fapi', upstreams: [{ url: down, weight: 1 }], routes });
  const ca = { certificatePem: app.caPem, privateKeyPem: readFileSync(join(app.certsDir, 'dev-ca.key'), 'utf8') };
  otherCertificate = issueClientCertificate(ca, { commonName: 'other-tpp', organizationName: 'Other TPP Ltd', organizationalUnitName: '00158000OTHERTPP01', countryName: 'GB' });
});
after(async () => {
  await app?.close();
  await bank?.close();
});

/** The customer's approval of an account access consent: Alice signs in and ticks `choose`. */
async function approve(url: URL, choose: readonly string[], decision: 'confirm' | 'deny' = 'confirm'): Promise<URL> {
  const choices = Object.fromEntries(choose.map((accountId) => [`account:${accountId}`, 'yes']));
  return new CustomerBrowser(send, [app.urls.browser]).authorize(url, { ...ALICE, decision, choices });
}

/** An account access consent of `partner`'s with these permissions, which Alice authorised for `choose`; and the customer token for it. */
async function authorisedAccounts(options: { permissions?: ObPermission[]; choose?: string[] } = {}): Promise<{ consentId: string; token: string }> {
  const body = accountAccessBody();
  body.Data.Permissions = options.permissions ?? DETAIL;
  const created = await partner.call('POST', AIS_CONSENTS, { body, token: await partner.token('accounts') });
  assert.equal(created.status, 201, created.text);
  const consentId = created.json.Data.ConsentId as string;
  const authorization = await consentAuthorization(partner, consentId, 'accounts');
  const tokens = await authorization.redeem(await approve(authorization.url, options.choose ?? [ACCOUNTS.current]));
  return { consentId, token: tokens.access_token };
}

const get = (path: string, token?: string, call: Parameters<ObPartner['call']>[2] = {}) => partner.call('GET', `${AISP}${path}`, { ...call, ...(token ? { token } : {}) });

const CODES: Readonly<Record<number, string>> = { 401: '401 Unauthorized', 403: '403 Forbidden', 404: '404 NotFound', 405: '405 MethodNotAllowed', 502: '502 BadGateway', 503: '503 ServiceUnavailable' };

/** Asserts the exact OBErrorResponse1 of a refusal (with a fresh `Id`) and these headers. */
function assertRefused(answer: ObAnswer, status: number, error: { ErrorCode: string; Message: string; Path?: string }, headers: Record<string, string> = {}): void {
  assert.equal(answer.status, status, answer.text);
  assertMatchesObSchema('account-info', 'OBErrorResponse1', answer.json);
  assert.match(answer.json.Id, UUID);
  assert.deepEqual(answer.json, { Code: CODES[status], Id: answer.json.Id, Message: error.Message, Errors: [error] });
  assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(headers)) assert.equal(answer.headers.get(name), value, name);
}

/** Runs `call` and checks the bank core was not asked. */
async function unseen(call: () => Promise<ObAnswer>): Promise<ObAnswer> {
  const before = bank.seen.length;
  const answer = await call();
  assert.equal(bank.seen.length, before, `${answer.status} ${answer.text}: the bank core was asked`);
  return answer;
}

const ids = (answer: ObAnswer, key: string) => (answer.json.Data[key] as Array<{ AccountId: string }>).map((item) => item.AccountId);

/**
 * A token as our authorization server would have issued it with other claims (issued earlier, or
 * naming another consent): signed with our own signing key, for the refusals no live flow can
 * produce in a test's time. `key` signs instead when given (a forger's).
 */
async function reissued(token: string, claims: JWTPayload, key?: CryptoKey): Promise<string> {
  const header = decodeProtectedHeader(token);
  let signingKey = key;
  if (!signingKey) {
    const { keys } = await loadSigningKeys(app.db, app.secrets.keyEncryptionKey, defaults.retiredKeyGrace);
    signingKey = await importJWK(keys.find((candidate) => candidate.kid === header.kid)!, header.alg) as CryptoKey;
  }
  return new SignJWT({ ...decodeJwt(token), ...claims }).setProtectedHeader(header as { alg: string }).sign(signingKey);
}

describe(`reading accounts through the gateway (${storeKind})`, () => {
  test('GET /accounts lists only the accounts the customer chose, with their Detail fields; every read of the consent works', async () => {
    const { consentId, token } = await authorisedAccounts();
    const interactionId = randomUUID();
    const list = await get('/accounts', token, { headers: { 'x-fapi-interaction-id': interactionId } });
    assert.equal(list.status, 200, list.text);
    assertMatchesObSchema('account-info', 'OBReadAccount6', list.json);
    assert.deepEqual(ids(list, 'Account'), [ACCOUNTS.current], 'the savings account and another customer\'s are removed');
    assert.deepEqual(list.json.Data.Account[0].Account, [{ SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Alice Carter' }]);
    assert.ok(list.json.Data.Account[0].Servicer, 'ReadAccountsDetail keeps the Detail fields');
    assert.equal(list.headers.get('x-fapi-interaction-id'), interactionId);

    const seen = bank.seen.at(-1)!;
    assert.equal(seen.url, '/accounts');
    assert.equal(seen.headers['authorization'], undefined, 'the partner\'s token stays at the gateway');
    assert.equal(seen.headers['x-forwarded-prefix'], AISP, 'the bank core learns the base path its links go under');
    const jwks = await (await send(`${app.urls.browser}/jwks`)).json() as JSONWebKeySet;
    const identity = await verifyCallerIdentity(seen.headers['x-portcullis-identity'] as string, { jwks, issuer: app.config.issuer, audience: bank.url, clock: systemClock });
    assert.deepEqual([identity.clientId, identity.customerId, identity.consentId, identity.accountIds], [partner.clientId, 'cust-0001', consentId, [ACCOUNTS.current]]);
    const consented = (await findConsent(app.db, consentId))!.request as { Data: { TransactionFromDateTime: string; TransactionToDateTime: string } };
    assert.deepEqual([identity.permissions, identity.transactionPeriod], [DETAIL, { from: consented.Data.TransactionFromDateTime, to: consented.Data.TransactionToDateTime }], 'the bank core is told what the consent lets it answer');

    const one = await get(`/accounts/${ACCOUNTS.current}`, token);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(ids(one, 'Account'), [ACCOUNTS.current]);
    const head = await partner.call('HEAD', `${AISP}/accounts/${ACCOUNTS.current}`, { token });
    assert.deepEqual([head.status, head.text], [200, '']);
    assert.notEqual(head.headers.get('content-length'), '0', 'a HEAD passes on what the bank core said of the length, never that of an empty body');
    const balances = await get(`/accounts/${ACCOUNTS.current}/balances`, token);
    assert.equal(balances.status, 200, balances.text);
    assertMatchesObSchema('account-info', 'OBReadBalance1', balances.json);
    assert.deepEqual(ids(balances, 'Balance'), [ACCOUNTS.current]);
    const transactions = await get(`/accounts/${ACCOUNTS.current}/transactions`, token);
    assert.equal(transactions.status, 200, transactions.text);
    assertMatchesObSchema('account-info', 'OBReadTransaction6', transactions.json);
    assert.deepEqual(transactions.json.Data.Transaction.map((item: { TransactionInformation: string }) => item.TransactionInformation), ['Salary March', 'Card payment, Fresco Foods']);
  });

  test('under Basic permissions the Detail fields are dropped, and a consent for credits sees only credits', async () => {
    const { token } = await authorisedAccounts({ permissions: ['ReadAccountsBasic', 'ReadTransactionsBasic', 'ReadTransactionsCredits'], choose: [ACCOUNTS.current, ACCOUNTS.savings] });
    const list = await get('/accounts', token);
    assert.equal(list.status, 200, list.text);
    assertMatchesObSchema('account-info', 'OBReadAccount6', list.json);
    assert.deepEqual(ids(list, 'Account'), [ACCOUNTS.current, ACCOUNTS.savings]);
    assert.deepEqual(list.json.Data.Account[1], { AccountId: ACCOUNTS.savings, Currency: 'GBP', AccountType: 'Personal', AccountSubType: 'CurrentAccount', Nickname: 'Rainy day savings' });
    const transactions = await get(`/accounts/${ACCOUNTS.savings}/transactions`, token);
    assert.equal(transactions.status, 200, transactions.text);
    assertMatchesObSchema('account-info', 'OBReadTransaction6', transactions.json);
    assert.deepEqual(transactions.json.Data.Transaction, [{
      AccountId: ACCOUNTS.savings, Status: 'Booked', BookingDateTime: '2025-03-01T09:00:00+00:00', TransactionId: `${ACCOUNTS.savings}-t1`, CreditDebitIndicator: 'Credit', Amount: { Amount: '2100.00', Currency: 'GBP' },
    }]);
  });
});

describe(`refusals of the token (${storeKind})`, () => {
  let token: string;
  before(async () => {
    ({ token } = await authorisedAccounts());
  });

  test('no token, or not a token: 401 with WWW-Authenticate', async () => {
    assertRefused(await unseen(() => get('/accounts')), 401, { ErrorCode: 'UK.OBIE.Header.Missing', Message: 'An access token is required', Path: 'Authorization' }, { 'www-authenticate': 'Bearer, DPoP' });
    assertRefused(await unseen(() => get('/accounts', undefined, { headers: { authorization: 'Bearer not a token' } })), 401,
      { ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'The access token is not valid: malformed Authorization header', Path: 'Authorization' },
      { 'www-authenticate': 'Bearer error="invalid_token", error_description="malformed Authorization header"' });
  });

  test('an expired token, and one signed by another key, are unknown: 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await reissued(token, { iat: now - 400, nbf: now - 400, exp: now - 100 });
    const forged = await reissued(token, {}, (await generateKeyPair('PS256')).privateKey);
    for (const presented of [expired, forged]) {
      assertRefused(await unseen(() => get('/accounts', presented)), 401,
        { ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'The access token is not valid: unknown, expired or revoked token', Path: 'Authorization' },
        { 'www-authenticate': 'Bearer error="invalid_token", error_description="unknown, expired or revoked token"' });
    }
    assert.equal((await get('/accounts', await reissued(token, { exp: now + 60 }))).status, 200, 'the same claims, unexpired and signed by us, are taken');
  });

  test('the token presented over another client certificate, or none: 401', async () => {
    for (const certificate of [otherCertificate, null]) {
      assertRefused(await unseen(() => get('/accounts', token, { certificate })), 401,
        { ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'The access token is not valid: token is bound to another client certificate', Path: 'Authorization' },
        { 'www-authenticate': 'Bearer error="invalid_token", error_description="token is bound to another client certificate"' });
    }
  });

  test('a client-credentials token: 403, it acts for no customer', async () => {
    const message = "This endpoint needs an access token from the customer's authorisation (authorization_code grant)";
    assertRefused(await unseen(async () => get('/accounts', await partner.token('accounts'))), 403, { ErrorCode: 'UK.OBIE.Header.Invalid', Message: message, Path: 'Authorization' },
      { 'www-authenticate': `Bearer error="insufficient_scope", error_description="${message.replaceAll('"', "'")}"` });
  });

  test('a customer token without the accounts scope (a payment consent\'s): 403', async () => {
    const created = await partner.call('POST', PIS_CONSENTS, { body: domesticPaymentBody('5.00'), token: await partner.token('payments'), sign: true });
    assert.equal(created.status, 201, created.text);
    const authorization = await consentAuthorization(partner, created.json.Data.ConsentId, 'payments');
    const callback = await new CustomerBrowser(send, [app.urls.browser]).authorize(authorization.url, { ...ALICE, choices: { debtor: ACCOUNTS.current } });
    const payments = (await authorization.redeem(callback)).access_token;
    assertRefused(await unseen(() => get('/accounts', payments)), 403, { ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Message: 'The access token does not carry the accounts scope' });
  });
});

describe(`refusals by the consent (${storeKind})`, () => {
  const invalidStatus = (Message: string) => ({ ErrorCode: 'UK.OBIE.Resource.InvalidConsentStatus', Message });

  test('revoked by the partner through the consent API: refused within 1 s', async () => {
    const { consentId, token } = await authorisedAccounts();
    assert.equal((await get('/accounts', token)).status, 200);
    const deleted = await partner.call('DELETE', `${AIS_CONSENTS}/${consentId}`, { token: await partner.token('accounts') });
    assert.equal(deleted.status, 204, deleted.text);
    assertRefused((await pollUntil(() => get('/accounts', token), (answer) => answer.status !== 200, { withinMs: 1000, what: 'a refusal' })).value, 401, { ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'The access token is not valid: unknown, expired or revoked token', Path: 'Authorization' });
    assert.equal((await findConsent(app.db, consentId))!.status, 'Revoked');
  });

  test('revoked by the customer in Connected apps: refused within 1 s', async () => {
    const { consentId, token } = await authorisedAccounts();
    assert.equal((await get('/accounts', token)).status, 200);
    const customer = new CustomerBrowser(send, [app.urls.browser]);
    const signInPage = (await customer.open(new URL('/connected-apps/sign-in', app.urls.browser))).page!;
    const list = await customer.submit(signInPage, '/connected-apps/sign-in', ALICE);
    assert.match(list.page!.html, new RegExp(`/connected-apps/${consentId}/revoke`));
    const confirm = (await customer.open(new URL(`/connected-apps/${consentId}/revoke`, app.urls.browser))).page!;
    await customer.submit(confirm, `/connected-apps/${consentId}/revoke`);
    assertRefused((await pollUntil(() => get('/accounts', token), (answer) => answer.status !== 200, { withinMs: 1000, what: 'a refusal' })).value, 401, { ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'The access token is not valid: unknown, expired or revoked token', Path: 'Authorization' });
    assert.equal((await findConsent(app.db, consentId))!.status, 'Revoked');
  });

  test('rejected by the customer: no code comes back, and a token naming the consent is refused 403', async () => {
    const created = await partner.call('POST', AIS_CONSENTS, { body: accountAccessBody(), token: await partner.token('accounts') });
    const rejectedId = created.json.Data.ConsentId as string;
    const authorization = await consentAuthorization(partner, rejectedId, 'accounts');
    const callback = await approve(authorization.url, [], 'deny');
    assert.deepEqual([callback.searchParams.get('error'), callback.searchParams.get('code')], ['access_denied', null]);
    assert.equal((await findConsent(app.db, rejectedId))!.status, 'Rejected');
    // A denial issues no token, so no live flow holds one for this consent: one of ours is made to name it.
    const { token } = await authorisedAccounts();
    const naming = await reissued(token, { openbanking_intent_id: rejectedId });
    assertRefused(await unseen(() => get('/accounts', naming)), 403, invalidStatus('The consent is Rejected, not Authorised'));
  });

  test('past its ExpirationDateTime: 403', async () => {
    const { consentId, token } = await authorisedAccounts();
    // Time has moved past the ExpirationDateTime the partner asked for.
    await app.db('consents').where({ id: consentId }).update({ expires_at: new Date(Date.now() - 1000) });
    assertRefused(await unseen(() => get('/accounts', token)), 403, invalidStatus('The consent has expired'));
  });

  test('an account the customer did not choose: 403, whatever the bank core holds', async () => {
    const { token } = await authorisedAccounts();
    for (const accountId of [ACCOUNTS.savings, ACCOUNTS.bobs, 'acc-nobody-has']) {
      for (const path of [`/accounts/${accountId}`, `/accounts/${accountId}/balances`]) {
        assertRefused(await unseen(() => get(path, token)), 403, { ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Message: 'The account is not one the customer chose for this consent' });
      }
    }
  });

  test('a resource the consent\'s Permissions do not cover: 403 naming what it needs', async () => {
    const { token } = await authorisedAccounts({ permissions: ['ReadAccountsBasic', 'ReadBalances'] });
    assert.equal((await get(`/accounts/${ACCOUNTS.current}/balances`, token)).status, 200);
    assertRefused(await unseen(() => get(`/accounts/${ACCOUNTS.current}/transactions`, token)), 403, {
      ErrorCode: 'UK.OBIE.Resource.ConsentMismatch',
      Message: "The consent's Permissions do not cover this resource: it needs ReadTransactionsBasic or ReadTransactionsDetail, and ReadTransactionsCredits or ReadTransactionsDebits",
    });
  });
});

describe(`refusals by the route and the bank core (${storeKind})`, () => {
  test('an unknown path is 404, another method 405 with Allow, both in the Open Banking form', async () => {
    const { token } = await authorisedAccounts();
    assertRefused(await unseen(() => get(`/accounts/${ACCOUNTS.current}/beneficiaries`, token)), 404,
      { ErrorCode: 'UK.OBIE.Resource.NotFound', Message: `GET ${AISP}/accounts/${ACCOUNTS.current}/beneficiaries is not a route of any published API` });
    assertRefused(await unseen(() => partner.call('POST', `${AISP}/accounts`, { token, body: {} })), 405,
      { ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'POST is not allowed here; it allows GET, HEAD' }, { allow: 'GET, HEAD' });
  });

  test('the bank core down: 502 while the breaker counts, then 503 with Retry-After', async () => {
    const { token } = await authorisedAccounts();
    const interactionId = randomUUID();
    const call = () => partner.call('GET', `${AISP_DOWN}/accounts`, { token, headers: { 'x-fapi-interaction-id': interactionId } });
    const unexpected = { ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'An unexpected error occurred' };
    // Each GET is tried twice (defaults.gateway.upstreamRetries); the 5th failure in a row opens the breaker (breakerFailures), for 10 s.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const unreachable = await call();
      assertRefused(unreachable, 502, unexpected, { 'x-fapi-interaction-id': interactionId });
      assert.equal(unreachable.headers.get('retry-after'), null, 'the breaker is still closed');
    }
    const opening = await call();
    assertRefused(opening, 502, unexpected, { 'retry-after': '10' });
    const open = await call();
    assertRefused(open, 503, unexpected, { 'x-fapi-interaction-id': interactionId });
    const retryAfter = Number(open.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 10, `Retry-After: ${open.headers.get('retry-after')}`);
  });
});

describe(`DPoP-bound tokens (${storeKind})`, () => {
  let token: string;
  let proofKeys: Awaited<ReturnType<typeof oc.randomDPoPKeyPair>>;
  const url = () => `${app.urls.partner}${AISP}/accounts`;

  before(async () => {
    const { clientId, keys } = await registerKeyClient(app, { scope: 'openid accounts', software_roles: ['AISP'], org_id: 'org-dpop', software_id: `sw-${randomUUID()}` }, 'PS256');
    const config = await discover(app, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }));
    proofKeys = await oc.randomDPoPKeyPair('ES256');
    const DPoP = oc.getDPoPHandle(config, proofKeys);
    const { access_token: clientToken } = await oc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP });
    const created = await oc.fetchProtectedResource(config, clientToken, new URL(`${app.urls.partner}${AIS_CONSENTS}`), 'POST', JSON.stringify(accountAccessBody()),
      new Headers({ 'content-type': 'application/json', 'x-idempotency-key': randomUUID() }), { DPoP });
    assert.equal(created.status, 201, await created.clone().text());
    const authorization = await consentAuthorization({ config, keys }, ((await created.json()) as { Data: { ConsentId: string } }).Data.ConsentId, 'accounts', { DPoP });
    const tokens = await authorization.redeem(await approve(authorization.url, [ACCOUNTS.current]));
    assert.equal(tokens.token_type.toLowerCase(), 'dpop');
    token = tokens.access_token;
  });

  /** A proof by the token's key, RFC 9449 §4.2; `claims` change what it says. */
  async function proof(claims: Record<string, unknown> = {}): Promise<string> {
    const ath = createHash('sha256').update(token).digest('base64url');
    return new SignJWT({ htm: 'GET', htu: url(), ath, jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(proofKeys.publicKey) })
      .sign(proofKeys.privateKey);
  }

  /** GET /accounts as the DPoP client makes it: no client certificate, the token under the DPoP scheme. */
  async function call(dpop?: string, target = url()): Promise<ObAnswer> {
    const response = await send(target, { headers: { accept: 'application/json', authorization: `DPoP ${token}`, ...(dpop ? { dpop } : {}) } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  }

  const refusal = (description: string) => [401, { ErrorCode: 'UK.OBIE.Header.Invalid', Message: `The access token is not valid: ${description}`, Path: 'Authorization' },
    { 'www-authenticate': `DPoP error="invalid_token", error_description="${description}"` }] as const;

  test('with a fresh proof the chosen accounts are read; a proof seen before is refused', async () => {
    const once = await proof();
    const read = await call(once);
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(ids(read, 'Account'), [ACCOUNTS.current]);
    assertRefused(await unseen(() => call(once)), ...refusal('DPoP proof replayed'));
  });

  test('no proof, a proof for another URL, method or token, an old proof: 401', async () => {
    assertRefused(await unseen(() => call()), ...refusal('DPoP proof missing'));
    assertRefused(await unseen(async () => call(await proof({ htu: `${app.urls.partner}${AISP}/accounts/${ACCOUNTS.current}` }))), ...refusal('DPoP proof htu mismatch'));
    assertRefused(await unseen(async () => call(await proof({ htm: 'POST' }))), ...refusal('DPoP proof htm mismatch'));
    assertRefused(await unseen(async () => call(await proof({ ath: createHash('sha256').update('another token').digest('base64url') }))), ...refusal('DPoP proof ath mismatch'));
    assertRefused(await unseen(async () => call(await proof({ iat: Math.floor(Date.now() / 1000) - 600 }))), ...refusal('invalid DPoP proof (ERR_JWT_EXPIRED)'));
  });
});
