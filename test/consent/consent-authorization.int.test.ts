import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import * as oc from 'openid-client';

import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { findConsent, listStatusHistory } from '../../src/consent/consent.store.ts';
import { CustomerBrowser } from '../helpers/customer-browser.ts';
import { obPartner, verifyBankSignature, type ObPartner } from '../helpers/ob-partner.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';
import { REDIRECT_URI } from '../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { accountAccessBody, domesticPaymentBody, fundsConfirmationBody } from './consent-bodies.ts';

const AIS = CONSENT_KINDS['account-access'].path;
const PIS = CONSENT_KINDS['domestic-payment'].path;
const CBPII = CONSENT_KINDS['funds-confirmation'].path;
const ALICE = { username: 'alice', password: 'alice-sandbox-pass' };

let portcullis: TestPortcullis;
let partner: ObPartner;
before(async () => {
  // Introspection shows every token's state and details; only opaque access tokens can be introspected (JWTs: test/gateway/openbanking/).
  portcullis = await startTestPortcullis({ ACCESS_TOKEN_FORMAT: 'opaque' });
  partner = await obPartner(portcullis);
});
after(() => portcullis?.close());

const intentClaims = (consentId: string) => JSON.stringify({ id_token: { openbanking_intent_id: { value: consentId, essential: true } } });

/** Pushes a signed request object (JAR at PAR) for the partner; returns where to send the customer. */
async function pushAuthorization(from: ObPartner, params: Record<string, string>) {
  const verifier = oc.randomPKCECodeVerifier();
  const signed = await oc.buildAuthorizationUrlWithJAR(from.config, {
    redirect_uri: REDIRECT_URI,
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...params,
  }, { key: from.keys.privateKey, kid: from.keys.kid });
  return { url: await oc.buildAuthorizationUrlWithPAR(from.config, signed.searchParams), verifier };
}

function browser() {
  return new CustomerBrowser(tlsFetch(portcullis.caPem), [portcullis.urls.browser]);
}

async function createConsent(path: string, body: unknown, scope: 'accounts' | 'payments' | 'fundsconfirmations', signed = false): Promise<string> {
  const created = await partner.call('POST', path, { body, token: await partner.token(scope), sign: signed });
  assert.equal(created.status, 201, created.text);
  return created.json.Data.ConsentId;
}

async function readConsent(path: string, id: string, scope: 'accounts' | 'payments' | 'fundsconfirmations') {
  return partner.call('GET', `${path}/${id}`, { token: await partner.token(scope) });
}

describe('UK style: the request object names the consent (openbanking_intent_id)', () => {
  test('account access: the customer picks accounts and approves; the ID token names the consent; a partner DELETE revokes every token at once', async () => {
    const consentId = await createConsent(AIS, accountAccessBody(), 'accounts');
    const { url, verifier } = await pushAuthorization(partner, { scope: 'openid accounts', claims: intentClaims(consentId) });
    const customer = browser();
    const callback = await customer.authorize(url, { ...ALICE, choices: { 'account:acc-0001-current': 'yes' } });
    const page = customer.pages.find((visited) => visited.html.includes('Choose the accounts to share'))!.html;
    assert.match(page, /Test TPP wants to see your account information/);
    assert.match(page, /Your balances/);
    assert.match(page, /Your transactions from \d+ \w+ \d{4} to \d+ \w+ \d{4}/);
    assert.match(page, /Rainy day savings/, 'every account of the customer is offered');

    const tokens = await oc.authorizationCodeGrant(partner.config, callback, { pkceCodeVerifier: verifier, idTokenExpected: true });
    assert.equal(tokens.claims()?.['openbanking_intent_id'], consentId);
    assert.equal((await readConsent(AIS, consentId, 'accounts')).json.Data.Status, 'Authorised');
    const stored = await findConsent(portcullis.db, consentId);
    assert.deepEqual(stored!.account_ids, ['acc-0001-current']);
    assert.equal(stored!.customer_id, 'cust-0001');
    assert.ok(stored!.grant_id);
    assert.deepEqual((await listStatusHistory(portcullis.db, consentId)).map((change) => [change.status, change.actor]), [['AwaitingAuthorisation', 'partner'], ['Authorised', 'customer']]);
    assert.equal((await oc.tokenIntrospection(partner.config, tokens.access_token)).active, true);

    const deleted = await partner.call('DELETE', `${AIS}/${consentId}`, { token: await partner.token('accounts') });
    assert.equal(deleted.status, 204);
    assert.equal((await readConsent(AIS, consentId, 'accounts')).json.Data.Status, 'Revoked');
    assert.equal((await oc.tokenIntrospection(partner.config, tokens.access_token)).active, false);
    assert.equal((await oc.tokenIntrospection(partner.config, tokens.refresh_token!)).active, false);
    await assert.rejects(oc.refreshTokenGrant(partner.config, tokens.refresh_token!), (error: { error?: string }) => error.error === 'invalid_grant');
  });

  test("the grant, and so every token, ends when the consent expires", async () => {
    const body = accountAccessBody();
    body.Data.ExpirationDateTime = new Date(Date.now() + 2 * 60 * 60 * 1000).toISOString();
    const consentId = await createConsent(AIS, body, 'accounts');
    const { url, verifier } = await pushAuthorization(partner, { scope: 'openid accounts', claims: intentClaims(consentId) });
    const callback = await browser().authorize(url, ALICE);
    const tokens = await oc.authorizationCodeGrant(partner.config, callback, { pkceCodeVerifier: verifier, idTokenExpected: true });
    const grant = await portcullis.provider.Grant.find((await findConsent(portcullis.db, consentId))!.grant_id!);
    const consentEnds = Math.floor(Date.parse(body.Data.ExpirationDateTime) / 1000);
    assert.ok(Math.abs(grant!.exp! - consentEnds) <= 2, `grant exp ${grant!.exp} vs consent ${consentEnds}`);
    assert.ok(tokens.refresh_token);

    const openEnded = accountAccessBody();
    delete (openEnded.Data as { ExpirationDateTime?: string }).ExpirationDateTime;
    const lasting = await createConsent(AIS, openEnded, 'accounts');
    const pushed = await pushAuthorization(partner, { scope: 'openid accounts', claims: intentClaims(lasting) });
    await browser().authorize(pushed.url, ALICE);
    const lastingGrant = await portcullis.provider.Grant.find((await findConsent(portcullis.db, lasting))!.grant_id!);
    assert.ok(lastingGrant!.exp! - consentEnds > 24 * 60 * 60, 'a consent without expiry keeps the grant lifetime');
  });

  test('a domestic payment: the customer sees payee, amount and reference and picks the account to pay from; funds confirmation answers with that account', async () => {
    const consentId = await createConsent(PIS, domesticPaymentBody('165.88'), 'payments', true);
    const { url, verifier } = await pushAuthorization(partner, { scope: 'openid payments', claims: intentClaims(consentId) });
    const customer = browser();
    const callback = await customer.authorize(url, { ...ALICE, choices: { debtor: 'acc-0001-current' } });
    const page = customer.pages.find((visited) => visited.html.includes('Pay from'))!.html;
    for (const text of ['wants to make a payment', '£165.88', 'ACME Energy Ltd', 'sort code 08-08-00, account 21325698', 'FRESCO-101', 'Available balance £1,250.75']) assert.ok(page.includes(text), text);

    const tokens = await oc.authorizationCodeGrant(partner.config, callback, { pkceCodeVerifier: verifier, idTokenExpected: true });
    assert.equal(tokens.claims()?.['openbanking_intent_id'], consentId);
    const read = await readConsent(PIS, consentId, 'payments');
    assert.equal(read.json.Data.Status, 'Authorised');
    assert.deepEqual(read.json.Data.Debtor, { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Alice Carter' });
    assertMatchesObSchema('payment-initiation', 'OBWriteDomesticConsentResponse5', read.json);

    const funds = await partner.call('GET', `${PIS}/${consentId}/funds-confirmation`, { token: tokens.access_token });
    assert.equal(funds.status, 200, funds.text);
    assertMatchesObSchema('payment-initiation', 'OBWriteFundsConfirmationResponse1', funds.json);
    assert.equal(funds.json.Data.FundsAvailableResult.FundsAvailable, true);
    await verifyBankSignature(portcullis, funds);
    const other = await createConsent(PIS, domesticPaymentBody('1.00'), 'payments', true);
    const mismatch = await partner.call('GET', `${PIS}/${other}/funds-confirmation`, { token: tokens.access_token });
    assert.equal(mismatch.status, 403);
    assert.equal(mismatch.json.Errors[0].ErrorCode, 'UK.OBIE.Resource.ConsentMismatch');
  });

  test('more than the balance: funds are not available', async () => {
    const consentId = await createConsent(PIS, domesticPaymentBody('5000.00'), 'payments', true);
    const { url, verifier } = await pushAuthorization(partner, { scope: 'openid payments', claims: intentClaims(consentId) });
    const callback = await browser().authorize(url, { ...ALICE, choices: { debtor: 'acc-0001-current' } });
    const tokens = await oc.authorizationCodeGrant(partner.config, callback, { pkceCodeVerifier: verifier, idTokenExpected: true });
    const funds = await partner.call('GET', `${PIS}/${consentId}/funds-confirmation`, { token: tokens.access_token });
    assert.equal(funds.json.Data.FundsAvailableResult.FundsAvailable, false);
  });

  test('the customer denies: the consent is Rejected and the partner gets access_denied', async () => {
    const consentId = await createConsent(AIS, accountAccessBody(), 'accounts');
    const { url } = await pushAuthorization(partner, { scope: 'openid accounts', claims: intentClaims(consentId), state: 'deny-state' });
    const callback = await browser().authorize(url, { ...ALICE, decision: 'deny' });
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('state'), 'deny-state');
    assert.equal(callback.searchParams.get('iss'), portcullis.config.issuer);
    assert.equal((await readConsent(AIS, consentId, 'accounts')).json.Data.Status, 'Rejected');
  });

  test('a funds confirmation consent for the customer\'s own account is approved as it stands; for someone else\'s it cannot be', async () => {
    const consentId = await createConsent(CBPII, fundsConfirmationBody(), 'fundsconfirmations');
    const { url } = await pushAuthorization(partner, { scope: 'openid fundsconfirmations', claims: intentClaims(consentId) });
    await browser().authorize(url, ALICE);
    const stored = await findConsent(portcullis.db, consentId);
    assert.equal(stored!.status, 'Authorised');
    assert.deepEqual(stored!.debtor_account, { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Alice Carter' });

    const notBobs = await createConsent(CBPII, fundsConfirmationBody(), 'fundsconfirmations');
    const pushed = await pushAuthorization(partner, { scope: 'openid fundsconfirmations', claims: intentClaims(notBobs) });
    const customer = browser();
    const login = await customer.open(pushed.url);
    const consentPage = await customer.signIn(login.page!, { username: 'bob', password: 'bob-sandbox-pass' });
    assert.match(consentPage.page!.html, /not one of yours/);
    assert.doesNotMatch(consentPage.page!.html, />Approve</);
    const approved = await customer.submit(consentPage.page!, '/confirm');
    assert.equal(approved.page?.status, 400);
    assert.equal((await findConsent(portcullis.db, notBobs))!.status, 'AwaitingAuthorisation');
  });

  test('an approval without any account chosen shows the page again and records nothing', async () => {
    const consentId = await createConsent(AIS, accountAccessBody(), 'accounts');
    const { url } = await pushAuthorization(partner, { scope: 'openid accounts', claims: intentClaims(consentId) });
    const customer = browser();
    const login = await customer.open(url);
    const consentPage = await customer.signIn(login.page!, ALICE);
    const again = await customer.submit(consentPage.page!, '/confirm', {});
    assert.equal(again.page?.status, 400);
    assert.match(again.page!.html, /Choose at least one account to share/);
    const foreign = await customer.submit(again.page!, '/confirm', { 'account:acc-0002-current': 'yes' });
    assert.equal(foreign.page?.status, 400, "another customer's account is not a choice");
    assert.equal((await findConsent(portcullis.db, consentId))!.status, 'AwaitingAuthorisation');
    const done = await customer.submit(foreign.page!, '/confirm', { 'account:acc-0001-savings': 'yes' });
    assert.ok(done.redirect?.searchParams.get('code'));
  });

  describe('refused before the customer sees a page', () => {
    async function refusal(params: Record<string, string>, from = partner) {
      const { url } = await pushAuthorization(from, params);
      const customer = browser();
      const { redirect } = await customer.open(url);
      assert.ok(redirect, 'sent back to the partner');
      assert.equal(customer.pages.length, 0, 'no page was shown');
      assert.equal(redirect.searchParams.get('iss'), portcullis.config.issuer);
      return { error: redirect.searchParams.get('error'), description: redirect.searchParams.get('error_description') ?? '' };
    }

    test('an unknown consent, another partner\'s, one already decided, an expired one, one for a scope not asked', async () => {
      assert.equal((await refusal({ scope: 'openid accounts', claims: intentClaims('aac-does-not-exist') })).error, 'invalid_request');

      const other = await obPartner(portcullis);
      const othersConsent = (await other.call('POST', AIS, { body: accountAccessBody(), token: await other.token('accounts') })).json.Data.ConsentId;
      const foreign = await refusal({ scope: 'openid accounts', claims: intentClaims(othersConsent) });
      assert.equal(foreign.error, 'invalid_request');
      assert.match(foreign.description, /names no consent of this client/);

      const withdrawn = await createConsent(AIS, accountAccessBody(), 'accounts');
      await partner.call('DELETE', `${AIS}/${withdrawn}`, { token: await partner.token('accounts') });
      assert.match((await refusal({ scope: 'openid accounts', claims: intentClaims(withdrawn) })).description, /is Rejected, not AwaitingAuthorisation/);

      const expiring = await createConsent(AIS, accountAccessBody(), 'accounts');
      await portcullis.db('consents').where({ id: expiring }).update({ expires_at: new Date(Date.now() - 1000) });
      assert.match((await refusal({ scope: 'openid accounts', claims: intentClaims(expiring) })).description, /has expired/);

      const payment = await createConsent(PIS, domesticPaymentBody(), 'payments', true);
      assert.match((await refusal({ scope: 'openid accounts', claims: intentClaims(payment) })).description, /needs the payments scope/);
    });

    test('a claim that is not essential, both styles at once, or Open Banking scopes with no consent', async () => {
      const consentId = await createConsent(AIS, accountAccessBody(), 'accounts');
      const optional = JSON.stringify({ id_token: { openbanking_intent_id: { value: consentId } } });
      assert.match((await refusal({ scope: 'openid accounts', claims: optional })).description, /essential/);
      const both = await refusal({ scope: 'openid accounts', claims: intentClaims(consentId), authorization_details: JSON.stringify([{ type: 'account_information', permissions: ['ReadBalances'] }]) });
      assert.match(both.description, /not both/);
      assert.match((await refusal({ scope: 'openid accounts' })).description, /must name its consent/);
      assert.equal((await findConsent(portcullis.db, consentId))!.status, 'AwaitingAuthorisation');
    });
  });
});

describe('RAR style: authorization_details create the consent during the authorization', () => {
  test('account_information: the token response and introspection name the consent, which is Authorised with the accounts chosen', async () => {
    const detail = { type: 'account_information', permissions: ['ReadAccountsDetail', 'ReadBalances'], expirationDateTime: '2030-01-01T00:00:00+00:00' };
    const { url, verifier } = await pushAuthorization(partner, { scope: 'openid', authorization_details: JSON.stringify([detail]) });
    const customer = browser();
    const callback = await customer.authorize(url, { ...ALICE, choices: { 'account:acc-0001-savings': 'yes' } });
    assert.ok(customer.pages.some((page) => page.html.includes('Until 1 January 2030')));
    const tokens = await oc.authorizationCodeGrant(partner.config, callback, { pkceCodeVerifier: verifier, idTokenExpected: true });
    const granted = tokens.authorization_details as Array<Record<string, unknown>>;
    assert.equal(granted.length, 1);
    const { consent_id: consentId, ...rest } = granted[0]!;
    assert.deepEqual(rest, detail);
    assert.match(String(consentId), /^aac-/);
    assert.deepEqual((await oc.tokenIntrospection(partner.config, tokens.access_token)).authorization_details, granted);

    const read = await readConsent(AIS, String(consentId), 'accounts');
    assert.equal(read.json.Data.Status, 'Authorised');
    assert.deepEqual(read.json.Data.Permissions, detail.permissions);
    assertMatchesObSchema('account-info', 'OBReadConsentResponse1', read.json);
    assert.deepEqual((await findConsent(portcullis.db, String(consentId)))!.account_ids, ['acc-0001-savings']);
  });

  test('payment_initiation: shown as a payment, Authorised with the debtor account, readable through the consent API', async () => {
    const detail = {
      type: 'payment_initiation',
      instructedAmount: { currency: 'GBP', amount: '12.50' },
      creditorName: 'Acme Energy Ltd',
      creditorAccount: { schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: '08080021325698', name: 'Acme Energy' },
      remittanceInformationUnstructured: 'Invoice 1234',
    };
    const { url, verifier } = await pushAuthorization(partner, { scope: 'openid', authorization_details: JSON.stringify([detail]) });
    const customer = browser();
    const callback = await customer.authorize(url, ALICE);
    assert.ok(customer.pages.some((page) => page.html.includes('£12.50') && page.html.includes('Acme Energy')));
    const tokens = await oc.authorizationCodeGrant(partner.config, callback, { pkceCodeVerifier: verifier, idTokenExpected: true });
    const consentId = String((tokens.authorization_details as Array<Record<string, unknown>>)[0]!['consent_id']);
    assert.match(consentId, /^pdc-/);
    const read = await readConsent(PIS, consentId, 'payments');
    assert.equal(read.json.Data.Status, 'Authorised');
    assert.equal(read.json.Data.Initiation.InstructedAmount.Amount, '12.50');
    assert.equal(read.json.Data.Debtor.Identification, '04000412345678');
    assertMatchesObSchema('payment-initiation', 'OBWriteDomesticConsentResponse5', read.json);
  });

  test('refused details never reach the customer; a denial is recorded as a Rejected consent', async () => {
    const euros = { type: 'payment_initiation', instructedAmount: { currency: 'EUR', amount: '12.50' }, creditorName: 'X', creditorAccount: { schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: '08080021325698' } };
    const { url } = await pushAuthorization(partner, { scope: 'openid', authorization_details: JSON.stringify([euros]) });
    const customer = browser();
    const { redirect } = await customer.open(url);
    assert.equal(redirect?.searchParams.get('error'), 'invalid_authorization_details');
    assert.match(redirect?.searchParams.get('error_description') ?? '', /GBP/);
    assert.equal(customer.pages.length, 0);

    const before = await portcullis.db('consents').where({ client_id: partner.clientId, status: 'Rejected' }).count({ n: '*' });
    const pushed = await pushAuthorization(partner, { scope: 'openid', authorization_details: JSON.stringify([{ type: 'account_information', permissions: ['ReadBalances'] }]) });
    const denied = await browser().authorize(pushed.url, { ...ALICE, decision: 'deny' });
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    const afterCount = await portcullis.db('consents').where({ client_id: partner.clientId, status: 'Rejected' }).count({ n: '*' });
    assert.equal(Number(afterCount[0]!.n), Number(before[0]!.n) + 1);
  });
});
