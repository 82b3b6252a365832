/**
 * The customer's side of an authorization, in a real Chromium: the partner sends the customer to
 * the bank, who signs in (password, then the one-time code the sandbox shows) and approves or
 * denies, and lands back on the partner's redirect URI.
 * The HTTP-driven CustomerBrowser covers the protocol; this file checks what only a browser shows:
 * labels, roles, focus order, touch on a phone, and that the CSP lets the final redirect leave.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import * as oc from 'openid-client';
import type { Page } from 'playwright-core';

import { browserTest, saveScreenshot } from '../../helpers/chromium.ts';
import { CONSENT_KINDS } from '../../../src/consent/consent-kinds.ts';
import { findConsent } from '../../../src/consent/consent.store.ts';
import { accountAccessBody } from '../../consent/consent-bodies.ts';
import { obPartner } from '../../helpers/ob-partner.ts';
import { REDIRECT_URI } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';

let portcullis: TestPortcullis;
before(async () => {
  portcullis = await startTestPortcullis();
});
after(() => portcullis?.close());

/**
 * A partner (registered as "Test TPP") creates an account access consent through the consent API
 * and pushes a signed request object naming it (UK style); returns the URL to send the customer
 * to, with a way to redeem the code the journey ends with.
 */
async function partnerAuthorization() {
  const partner = await obPartner(portcullis);
  const created = await partner.call('POST', CONSENT_KINDS['account-access'].path, { body: accountAccessBody(), token: await partner.token('accounts') });
  const consentId: string = created.json.Data.ConsentId;
  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const signed = await oc.buildAuthorizationUrlWithJAR(partner.config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    claims: JSON.stringify({ id_token: { openbanking_intent_id: { value: consentId, essential: true } } }),
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  }, { key: partner.keys.privateKey, kid: partner.keys.kid });
  const url = await oc.buildAuthorizationUrlWithPAR(partner.config, signed.searchParams);
  return {
    url,
    state,
    consentId,
    status: async () => (await findConsent(portcullis.db, consentId))!,
    redeem: (callback: URL) => oc.authorizationCodeGrant(partner.config, callback, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true }),
  };
}

/**
 * Runs `leaveTheBank` and returns the URL the browser was then sent to on the partner's side.
 * Playwright cannot `route` the later hops of a redirect chain, so the request itself is watched;
 * the browser resolves no partner host, so that navigation then ends on an error page.
 */
async function partnerCallbackAfter(page: Page, leaveTheBank: () => Promise<void>): Promise<URL> {
  const [request] = await Promise.all([page.waitForRequest(`${REDIRECT_URI}?**`), leaveTheBank()]);
  return new URL(request.url());
}

/** The one-time code the sandbox shows on the code page, as the customer reads it. */
async function shownCode(page: Page): Promise<string> {
  return (await page.locator('#shown-code').textContent())!.trim();
}

/** Whatever element has keyboard focus. */
function focused(page: Page) {
  return page.locator(':focus');
}

browserTest('customer signs in after a wrong password and approves, by keyboard, on a desktop', {}, async (page) => {
  const authorization = await partnerAuthorization();

  await page.goto(authorization.url.href);
  await page.getByRole('heading', { level: 1, name: 'Sign in to Portcullis Bank' }).waitFor();
  assert.equal(await page.title(), 'Sign in · Portcullis Bank');
  assert.equal(await focused(page).getAttribute('id'), 'username', 'the username field has focus on arrival');
  await saveScreenshot(page, 'customer-journey/desktop-1-login');

  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('not-alice-pass');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const alert = page.getByRole('alert');
  assert.equal(await alert.textContent(), 'The username or password is not right. Check them and try again.');
  assert.equal(await page.getByLabel('Username').inputValue(), 'alice', 'the username is kept');
  assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is not echoed back');
  assert.equal(await page.getByLabel('Username').getAttribute('aria-describedby'), 'login-error', 'screen readers tie the error to the field');
  await saveScreenshot(page, 'customer-journey/desktop-2-login-error');

  // Keyboard only from here: focus order must be username → password → Sign in.
  assert.equal(await focused(page).getAttribute('id'), 'username');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page).getAttribute('id'), 'password');
  await page.keyboard.type('alice-sandbox-pass');
  await page.keyboard.press('Enter');

  // The second factor: the sandbox shows the code a real bank would text to the customer's phone.
  await page.getByRole('heading', { level: 1, name: 'Enter your security code' }).waitFor();
  assert.equal(await page.title(), 'Enter your security code · Portcullis Bank');
  assert.equal(await focused(page).getAttribute('id'), 'code', 'the code field has focus on arrival');
  const sandboxNote = page.getByRole('region', { name: 'Your code (sandbox only)' });
  assert.match(await sandboxNote.textContent() ?? '', /A real bank would send it to your phone by text message/);
  await saveScreenshot(page, 'customer-journey/desktop-3-code');
  await page.keyboard.type(await shownCode(page));
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { level: 1, name: 'Test TPP wants to see your account information' }).waitFor();
  assert.equal(await page.title(), 'Review what Test TPP is asking for · Portcullis Bank');
  const items = await page.getByRole('listitem').allTextContents();
  assert.ok(items.some((item) => item.includes('Your balances')), items.join(' | '));
  assert.ok(items.some((item) => /Your transactions from \d+ \w+ \d{4} to/.test(item)), items.join(' | '));
  await page.getByRole('group', { name: 'Choose the accounts to share' }).waitFor();
  await saveScreenshot(page, 'customer-journey/desktop-4-consent');
  // Focus order: the accounts to choose, then Approve, then Deny.
  await page.keyboard.press('Tab');
  assert.match(await page.locator('label[for="' + await focused(page).getAttribute('id') + '"]').textContent() ?? '', /^Everyday account/);
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page).textContent(), 'Approve');
  await saveScreenshot(page, 'customer-journey/desktop-5-consent-chosen');
  const callback = await partnerCallbackAfter(page, () => page.keyboard.press('Enter'));
  assert.ok(callback.searchParams.get('code'), 'an authorization code');
  assert.equal(callback.searchParams.get('iss'), portcullis.config.issuer, 'RFC 9207 iss in the authorization response');
  assert.equal(callback.searchParams.get('state'), authorization.state);
  const tokens = await authorization.redeem(callback);
  assert.equal(tokens.claims()?.sub, 'cust-0001', 'the code is for the customer who signed in');
  assert.equal(tokens.claims()?.['openbanking_intent_id'], authorization.consentId);
  const consent = await authorization.status();
  assert.equal(consent.status, 'Authorised');
  assert.deepEqual(consent.account_ids, ['acc-0001-current'], 'only the account ticked is shared');
});

browserTest('customer signs in and denies, by touch, on a phone', { phone: true }, async (page) => {
  const authorization = await partnerAuthorization();

  await page.goto(authorization.url.href);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('alice-sandbox-pass');
  await saveScreenshot(page, 'customer-journey/phone-1-login');
  await page.getByRole('button', { name: 'Sign in', exact: true }).tap();

  await page.getByRole('heading', { level: 1, name: 'Enter your security code' }).waitFor();
  await page.getByLabel('Security code').fill('12345');
  await page.getByRole('button', { name: 'Continue', exact: true }).tap();
  assert.equal(await page.getByRole('alert').textContent(), 'The code is not right, or it has expired. Check it and try again.');
  assert.equal(await page.getByLabel('Security code').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.title(), 'Error: Enter your security code · Portcullis Bank');
  await saveScreenshot(page, 'customer-journey/phone-2-code-error');
  await page.getByLabel('Security code').fill(await shownCode(page));
  await page.getByRole('button', { name: 'Continue', exact: true }).tap();

  await page.getByRole('heading', { level: 1, name: 'Test TPP wants to see your account information' }).waitFor();
  await saveScreenshot(page, 'customer-journey/phone-3-consent');
  const callback = await partnerCallbackAfter(page, () => page.getByRole('button', { name: 'Deny', exact: true }).tap());

  assert.equal(callback.searchParams.get('error'), 'access_denied');
  assert.equal(callback.searchParams.get('iss'), portcullis.config.issuer);
  assert.equal(callback.searchParams.get('state'), authorization.state);
  assert.equal(callback.searchParams.get('code'), null);
  assert.equal((await authorization.status()).status, 'Rejected');
});
