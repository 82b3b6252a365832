/**
 * The partner's Open Banking flow end to end through the gateway (issue 11, "Done when"), with the
 * customer approving in a real Chromium: an account access consent, the customer choosing one of
 * two accounts, `GET /accounts` through the gateway returning that one; then a domestic payment
 * consent, approved the same way, executed once (the consent Consumed, a second submission
 * refused). The refusals are in accounts.int.test.ts and payments.int.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';

import type { Page } from 'playwright-core';

import { CONSENT_KINDS } from '../../../src/consent/consent-kinds.ts';
import { findConsent } from '../../../src/consent/consent.store.ts';
import { accountAccessBody, domesticPaymentBody } from '../../consent/consent-bodies.ts';
import { browserTest, saveScreenshot } from '../../helpers/chromium.ts';
import { addTestApi, ownObBasePath } from '../../helpers/gateway-catalogue.ts';
import { consentAuthorization } from '../../helpers/ob-authorization.ts';
import { ACCOUNTS, startObBankUpstream } from '../../helpers/ob-bank-upstream.ts';
import { obPartner, type ObPartner } from '../../helpers/ob-partner.ts';
import { REDIRECT_URI } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import type { UpstreamServer } from '../../helpers/upstream-server.ts';

const AISP = ownObBasePath('aisp');
const PISP = ownObBasePath('pisp');
let app: TestPortcullis;
let partner: ObPartner;
let bank: UpstreamServer;

before(async () => {
  bank = await startObBankUpstream();
  app = await startTestPortcullis();
  partner = await obPartner(app);
  const upstreams = [{ url: bank.url, weight: 1 }];
  await addTestApi(app.db, app.events, {
    name: `accounts-${randomUUID()}`, basePath: AISP, authKind: 'fapi', upstreams,
    routes: [{ method: 'GET', path: '/accounts', policy: { scopes: ['accounts'] } }],
  });
  await addTestApi(app.db, app.events, {
    name: `payments-${randomUUID()}`, basePath: PISP, authKind: 'fapi', upstreams,
    routes: [{ method: 'POST', path: '/domestic-payments', policy: { scopes: ['payments'] } }],
  });
});
after(async () => {
  await app?.close();
  await bank?.close();
});

/** Alice signs in at the bank (password, then the code the sandbox shows), as she would on her phone. */
async function signIn(page: Page, url: URL): Promise<void> {
  await page.goto(url.href);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('alice-sandbox-pass');
  await page.getByRole('button', { name: 'Sign in', exact: true }).tap();
  await page.getByRole('heading', { level: 1, name: 'Enter your security code' }).waitFor();
  await page.getByLabel('Security code').fill((await page.locator('#shown-code').textContent())!.trim());
  await page.getByRole('button', { name: 'Continue', exact: true }).tap();
}

/** Taps `button` and returns where the bank then sent the browser on the partner's side (which Chromium cannot resolve). */
async function partnerCallbackAfterTapping(page: Page, button: string): Promise<URL> {
  const [request] = await Promise.all([page.waitForRequest(`${REDIRECT_URI}?**`), page.getByRole('button', { name: button, exact: true }).tap()]);
  return new URL(request.url());
}

browserTest('a partner reads the one account the customer chose in Chromium, through the gateway', { phone: true }, async (page) => {
  const created = await partner.call('POST', CONSENT_KINDS['account-access'].path, { body: accountAccessBody(), token: await partner.token('accounts') });
  assert.equal(created.status, 201, created.text);
  const consentId: string = created.json.Data.ConsentId;
  const authorization = await consentAuthorization(partner, consentId, 'accounts');

  await signIn(page, authorization.url);
  await page.getByRole('heading', { level: 1, name: 'Test TPP wants to see your account information' }).waitFor();
  const accounts = page.getByRole('group', { name: 'Choose the accounts to share' });
  assert.deepEqual(await accounts.getByRole('checkbox').evaluateAll((boxes) => boxes.map((box) => box.getAttribute('name'))), [`account:${ACCOUNTS.current}`, `account:${ACCOUNTS.savings}`], 'both of Alice\'s accounts are offered');
  await accounts.getByLabel(/^Everyday account/).tap();
  assert.equal(await accounts.getByLabel(/^Rainy day savings/).isChecked(), false);
  await saveScreenshot(page, 'ob-accounts/phone-consent-chosen');
  const callback = await partnerCallbackAfterTapping(page, 'Approve');
  const tokens = await authorization.redeem(callback);
  assert.deepEqual((await findConsent(app.db, consentId))!.account_ids, [ACCOUNTS.current]);

  const list = await partner.call('GET', `${AISP}/accounts`, { token: tokens.access_token });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.Data.Account.map((account: { AccountId: string }) => account.AccountId), [ACCOUNTS.current], 'the bank core answered with three; the partner sees the one chosen');
  assert.equal(bank.seen.at(-1)!.url, '/accounts');
});

browserTest('a payment the customer approved in Chromium is made once through the gateway', { phone: true }, async (page) => {
  const consentBody = domesticPaymentBody('24.99');
  const created = await partner.call('POST', CONSENT_KINDS['domestic-payment'].path, { body: consentBody, token: await partner.token('payments'), sign: true });
  assert.equal(created.status, 201, created.text);
  const consentId: string = created.json.Data.ConsentId;
  const authorization = await consentAuthorization(partner, consentId, 'payments');

  await signIn(page, authorization.url);
  await page.getByRole('heading', { level: 1, name: 'Test TPP wants to make a payment' }).waitFor();
  assert.equal(await page.locator('dl.payment dd').first().textContent(), '£24.99');
  await page.getByRole('group', { name: 'Pay from' }).getByLabel(/^Everyday account/).tap();
  await saveScreenshot(page, 'ob-accounts/phone-payment-consent');
  const tokens = await authorization.redeem(await partnerCallbackAfterTapping(page, 'Approve payment'));

  const submission = { Data: { ConsentId: consentId, Initiation: consentBody.Data.Initiation }, Risk: consentBody.Risk };
  const submit = () => partner.call('POST', `${PISP}/domestic-payments`, { body: submission, token: tokens.access_token, sign: true, headers: { 'x-idempotency-key': randomUUID() } });
  const posted = () => bank.seen.filter((request) => request.method === 'POST').length;
  const made = await submit();
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.Data.DomesticPaymentId, `dp-${consentId}`);
  assert.equal(posted(), 1);
  assert.equal((await findConsent(app.db, consentId))!.status, 'Consumed');

  const again = await submit();
  assert.equal(again.status, 403, again.text);
  assert.deepEqual(again.json.Errors, [{ ErrorCode: 'UK.OBIE.Resource.InvalidConsentStatus', Message: 'The consent has been used: a payment consent pays once' }]);
  assert.equal(posted(), 1, 'the bank core was asked once');
});
