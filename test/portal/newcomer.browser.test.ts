/**
 * The developer portal's "Done when", in a real Chromium against `npm start`'s sandbox bank: a
 * newcomer signs up, confirms their address from the outbox, creates an organisation and an
 * application, subscribes it to the free starter plan, copies the key shown once, calls the
 * Exchange rates API through the gateway with it, and sees the calls in Usage; then rotates the
 * key (the old one refused within a second) and revokes the new one. Screenshots of each page
 * under test/artifacts/portal/.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

import type { Page } from 'playwright-core';

import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { eventually } from '../helpers/eventually.ts';
import { openIsolatedStore } from '../helpers/isolated-store.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

let portcullis: TestPortcullis;
let call: typeof fetch;
before(async () => {
  // The sandbox bank as npm start has it (its Exchange rates API and plans), in a store of this file's own.
  const store = await openIsolatedStore();
  portcullis = await startTestPortcullis({ BANK_INTEGRATION: fileURLToPath(new URL('../../sandbox/sandbox-bank.ts', import.meta.url)) }, { store: store.db });
  call = tlsFetch(portcullis.caPem);
});
after(() => portcullis?.close());

const rate = (key: string) => call(`${portcullis.urls.public}/fx/v1/rates/EUR`, { headers: { 'x-api-key': key } });

async function signUpAndSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${portcullis.urls.browser}/`);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Create a developer account' }).click();
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Your name').fill('Nia Newcomer');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('link', { name: 'development outbox' }).click();
  await page.getByRole('article').filter({ hasText: `To ${email}` }).getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: 'Email address confirmed' }).waitFor();
  await page.goto(`${portcullis.urls.browser}/account/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
}

browserTest('a newcomer gets from nothing to a call with their own key, and sees it in Usage', {}, async (page) => {
  const email = `nia-${randomBytes(3).toString('hex')}@example.com`;
  await signUpAndSignIn(page, email, 'correct horse battery staple');
  await saveScreenshot(page, 'portal/account-no-organisation');

  await page.getByRole('link', { name: 'Create an organisation' }).click();
  await page.getByRole('button', { name: 'Create the organisation' }).click();
  await page.getByRole('alert').waitFor();
  assert.match((await page.getByRole('alert').textContent())!, /Enter the organisation's name/);
  await page.getByLabel('Organisation name').fill('Nia\'s Fintech');
  await page.getByRole('button', { name: 'Create the organisation' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nia\'s Fintech' }).waitFor();
  await saveScreenshot(page, 'portal/organisation');

  await page.getByRole('link', { name: 'Create an application' }).click();
  await page.getByLabel('Application name').fill('Currency converter');
  await page.getByRole('button', { name: 'Create the application' }).click();
  await page.getByRole('heading', { level: 1, name: 'Currency converter' }).waitFor();

  await page.getByLabel(/^starter: Free/).check();
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await page.getByRole('status').filter({ hasText: 'The application is subscribed' }).waitFor();
  await page.getByRole('button', { name: 'Issue a new key' }).click();
  await page.getByRole('heading', { name: 'Your new API key' }).waitFor();
  const key = await page.getByRole('textbox', { name: 'API key', exact: true }).inputValue();
  assert.match(key, /^pck_/);
  const copy = page.getByRole('button', { name: 'Copy' });
  await copy.click();
  await page.locator('.copy-status').filter({ hasText: /Copied|Selected/ }).waitFor();
  await saveScreenshot(page, 'portal/app-key-issued');

  for (let i = 0; i < 3; i++) {
    const answer = await rate(key);
    assert.equal(answer.status, 200);
    assert.equal((await answer.json() as { currency: string }).currency, 'EUR');
  }
  assert.equal((await call(`${portcullis.urls.public}/fx/v1/rates/XYZ`, { headers: { 'x-api-key': key } })).status, 404);

  await page.getByRole('link', { name: /^Usage/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Usage of Currency converter' }).waitFor();
  // The gateway writes its analytics every second (ANALYTICS_FLUSH_INTERVAL in the tests).
  await eventually(async () => {
    await page.reload();
    return /4 calls in 7 days/.test(await page.locator('figure.usage-chart svg desc').first().textContent() ?? '');
  }, { withinMs: 25_000, everyMs: 1_000, what: 'the calls in Usage' });
  assert.match(await page.getByText(/starter: \d+ of 1,000 calls today/).textContent() ?? '', /starter: 4 of 1,000 calls today/);
  await saveScreenshot(page, 'portal/usage');

  await page.getByRole('link', { name: 'Currency converter' }).click();
  await page.getByLabel(/How long the key pck_\S+ keeps working/).selectOption({ label: 'Old key works: stop it now' });
  await page.getByRole('button', { name: /^Rotate/ }).click();
  const rotated = await page.getByRole('textbox', { name: 'API key', exact: true }).inputValue();
  assert.notEqual(rotated, key);
  await eventually(async () => (await rate(key)).status === 401, { withinMs: 1_000, what: 'the rotated-out key refused' });
  assert.equal((await rate(rotated)).status, 200);

  await page.goto(page.url().replace(/\/keys\/.*$/, ''));
  await page.getByRole('button', { name: /^Revoke/ }).click();
  await page.getByRole('status').filter({ hasText: 'The key has been revoked' }).waitFor();
  await eventually(async () => (await rate(rotated)).status === 401, { withinMs: 1_000, what: 'the revoked key refused' });
  await saveScreenshot(page, 'portal/app-keys-ended');
});

browserTest('the application page and Usage fit a phone', { phone: true }, async (page) => {
  const email = `pia-${randomBytes(3).toString('hex')}@example.com`;
  await signUpAndSignIn(page, email, 'correct horse battery staple');
  await page.getByRole('link', { name: 'Create an organisation' }).tap();
  await page.getByLabel('Organisation name').fill('Pia Apps');
  await page.getByRole('button', { name: 'Create the organisation' }).tap();
  await page.getByRole('link', { name: 'Create an application' }).tap();
  await page.getByLabel('Application name').fill('Pocket rates');
  await page.getByRole('button', { name: 'Create the application' }).tap();
  await page.getByLabel(/^business:/).check();
  await page.getByRole('button', { name: 'Subscribe' }).tap();
  await page.getByRole('status').filter({ hasText: 'The subscription has been requested' }).waitFor();
  await page.getByRole('button', { name: 'Issue a new key' }).tap();
  await page.getByRole('heading', { name: 'Your new API key' }).waitFor();
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= 390, `nothing scrolls sideways at 390 px (${width})`);
  await saveScreenshot(page, 'portal/app-phone');
  await page.getByRole('link', { name: /^Usage/ }).tap();
  await page.getByRole('heading', { level: 1, name: 'Usage of Pocket rates' }).waitFor();
  assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 390);
  await saveScreenshot(page, 'portal/usage-phone');
});
