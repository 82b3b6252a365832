/**
 * Open Banking onboarding from an application's page in a real Chromium, on a phone: the software
 * statement form's mistakes summarised and tied to their fields, the statement, then Register by
 * DCR and the client, with a screenshot and an accessibility check of each page. The HTTP-level
 * rules and the consent run with the bundle are covered by open-banking-onboarding.int.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { insertVerifiedDeveloper } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

let portcullis: TestPortcullis;
before(async () => {
  portcullis = await startTestPortcullis();
});
after(() => portcullis?.close());

browserTest('a developer registers an application with Open Banking from its page, fixing a mistake first, on a phone', { phone: true }, async (page) => {
  const developer = await insertVerifiedDeveloper(portcullis.db);
  await page.goto(`${portcullis.urls.browser}/account/sign-in`);
  await page.getByLabel('Email address').fill(developer.email);
  await page.getByLabel('Password').fill(developer.password);
  await page.getByRole('button', { name: 'Sign in' }).tap();
  await page.getByRole('link', { name: 'Create an organisation' }).tap();
  await page.getByLabel('Organisation name').fill('Budget Ltd');
  await page.getByRole('button', { name: 'Create the organisation' }).tap();
  await page.getByRole('link', { name: 'Create an application' }).tap();
  await page.getByLabel('Application name').fill('Budget Buddy');
  await page.getByRole('button', { name: 'Create the application' }).tap();
  await page.getByRole('link', { name: 'Register with Open Banking (sandbox)' }).tap();
  await page.getByRole('heading', { level: 1, name: 'Register with Open Banking (sandbox)' }).waitFor();
  assert.equal(await page.getByLabel('Client name').inputValue(), 'Budget Buddy');
  await saveScreenshot(page, 'portal/open-banking-form-phone');

  await page.getByLabel('Redirect URIs').fill('http://localhost:8447/callback');
  await page.getByLabel(/^Account information/).uncheck();
  await page.getByRole('button', { name: 'Create the software statement' }).tap();
  const summary = page.getByRole('alert');
  await summary.waitFor();
  assert.match((await summary.textContent())!, /http:\/\/localhost:8447\/callback is not an absolute https URL without a fragment[\s\S]*Choose at least one role/);
  assert.equal(await page.getByLabel('Redirect URIs').getAttribute('aria-invalid'), 'true');
  await saveScreenshot(page, 'portal/open-banking-form-errors-phone');
  await summary.getByRole('link', { name: /not an absolute https URL/ }).tap();
  assert.equal(await page.locator(':focus').getAttribute('id'), 'redirect_uris', 'the summary\'s link goes to the field');

  await page.getByLabel('Redirect URIs').fill('https://localhost:8447/callback\nhttps://budget.example/callback');
  await page.getByLabel(/^Account information/).check();
  await page.getByLabel(/^Payment initiation/).check();
  await page.getByRole('button', { name: 'Create the software statement' }).tap();
  await page.getByRole('status').filter({ hasText: 'The software statement has been created' }).waitFor();
  await page.getByRole('link', { name: 'Download the bundle' }).waitFor();
  await saveScreenshot(page, 'portal/open-banking-statement-phone');

  await page.getByRole('button', { name: 'Register by DCR' }).tap();
  await page.getByRole('status').filter({ hasText: 'The application is registered with the bank' }).waitFor();
  const clientId = await page.locator('#client-id').textContent();
  assert.ok(clientId);
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= 390, `nothing scrolls sideways at 390 px (${width})`);
  await saveScreenshot(page, 'portal/open-banking-registered-phone');
  assert.equal((await portcullis.db('oidc_clients').where({ client_id: clientId }).first())?.client_id, clientId);
});
