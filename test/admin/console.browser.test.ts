/**
 * The ops console in a real Chromium: an operator's first sign-in (password, then setting up an
 * authenticator app from the page's own secret), the home, signing out and back in with a code;
 * an admin's operators page, their account page with a personal API token made; the sign-in
 * page offering single sign-on; on a desktop and on a phone, each page with a screenshot and an
 * accessibility check.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import type { Page } from 'playwright-core';

import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { insertOperator, totpCode } from '../helpers/console-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

let portcullis: TestPortcullis;
before(async () => {
  // Single sign-on set up (the sign-in page offers it); no provider runs: nothing here follows the button.
  portcullis = await startTestPortcullis({ CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:9', CONSOLE_OIDC_CLIENT_ID: 'portcullis-console', CONSOLE_OIDC_CLIENT_SECRET: 'not-used-here', CONSOLE_OIDC_NAME: 'Bank Login' });
});
after(() => portcullis?.close());

async function signInWithPassword(page: Page, operator: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email address').fill(operator.email);
  await page.getByLabel('Password').fill(operator.password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

browserTest('an operator signs in for the first time, sets up their authenticator app, signs out and back in with a code', {}, async (page) => {
  const operator = await insertOperator(portcullis.db, portcullis.secrets, { role: 'admin', enrolled: false, name: 'Dorothy Vaughan' });
  await page.goto(`${portcullis.urls.browser}/console`);
  await page.getByRole('heading', { level: 1, name: 'Sign in to the console' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Sign in with Bank Login' }).getAttribute('href'), '/console/sign-in/oidc');
  await saveScreenshot(page, 'console/sign-in');
  await signInWithPassword(page, operator);

  await page.getByRole('heading', { level: 1, name: 'Set up your authenticator app' }).waitFor();
  assert.ok(await page.getByRole('img', { name: /QR code/ }).isVisible());
  const secret = (await page.locator('.totp-secret code').textContent())!.replaceAll(' ', '');
  await page.getByLabel('Code', { exact: true }).fill('000000' === totpCode(secret) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await page.getByRole('alert').waitFor();
  assert.match((await page.getByRole('alert').textContent())!, /That code is not right/);
  await saveScreenshot(page, 'console/enrol-wrong-code');
  await page.getByLabel('Code', { exact: true }).fill(totpCode(secret));
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();

  await page.getByRole('heading', { level: 1, name: 'The API programme today' }).waitFor();
  assert.match((await page.locator('main').textContent())!, /Your role is Admin/);
  await saveScreenshot(page, 'console/home');
  await page.getByRole('link', { name: 'Operators' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Operators' }).waitFor();
  await saveScreenshot(page, 'console/operators');
  await page.getByRole('link', { name: 'Dorothy Vaughan' }).click();
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  await page.getByLabel('What it is for').fill('deploy pipeline');
  await page.getByRole('button', { name: 'Make token' }).click();
  await page.getByRole('heading', { level: 2, name: 'Token made: deploy pipeline' }).waitFor();
  await saveScreenshot(page, 'console/account-token');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
  await signInWithPassword(page, operator);
  await page.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor();
  await saveScreenshot(page, 'console/code');
  // The enrolment used this 30-second step's code: the next step's is the one the app shows soonest.
  await page.getByLabel('Code', { exact: true }).fill(totpCode(secret, 1));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'The API programme today' }).waitFor();
});

browserTest('a viewer signs in on a phone, sees the home without the admin\'s sections, and is refused the operators page', { phone: true }, async (page) => {
  const viewer = await insertOperator(portcullis.db, portcullis.secrets, { role: 'viewer', name: 'Valerie Viewer' });
  await page.goto(`${portcullis.urls.browser}/console/sign-in`);
  await saveScreenshot(page, 'console/sign-in-phone');
  await signInWithPassword(page, viewer);
  await page.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor();
  await page.getByLabel('Code', { exact: true }).fill(totpCode(viewer.totpSecret!));
  await page.getByRole('button', { name: 'Sign in' }).tap();
  await page.getByRole('heading', { level: 1, name: 'The API programme today' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Operators' }).count(), 0);
  await saveScreenshot(page, 'console/home-phone');
  assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 390, 'nothing scrolls sideways');
  const refused = await page.goto(`${portcullis.urls.browser}/console/operators`);
  assert.equal(refused!.status(), 403);
  await saveScreenshot(page, 'console/refused-phone');
});

browserTest('a new operator\'s enrolment page fits a phone', { phone: true }, async (page) => {
  const operator = await insertOperator(portcullis.db, portcullis.secrets, { role: 'operator', enrolled: false });
  await page.goto(`${portcullis.urls.browser}/console/sign-in`);
  await signInWithPassword(page, operator);
  await page.getByRole('heading', { level: 1, name: 'Set up your authenticator app' }).waitFor();
  await saveScreenshot(page, 'console/enrol-phone');
  assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 390, 'nothing scrolls sideways');
});
