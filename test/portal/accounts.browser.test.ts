/**
 * Developer sign-up in a real Chromium, on a phone: the form's mistakes summarised and tied to
 * their fields, then the mailed link from the development outbox, with a screenshot and an
 * accessibility check of each page. The HTTP-level rules are covered by accounts.int.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';

import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

let portcullis: TestPortcullis;
before(async () => {
  portcullis = await startTestPortcullis();
});
after(() => portcullis?.close());

browserTest('a developer signs up, fixes a mistake, and confirms their address from the outbox, on a phone', { phone: true }, async (page) => {
  const email = `ada-${randomBytes(3).toString('hex')}@example.com`;
  await page.goto(`${portcullis.urls.browser}/account/sign-up`);
  await page.getByRole('heading', { level: 1, name: 'Create a developer account' }).waitFor();
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Your name').fill('Ada Lovelace');
  await page.getByLabel('Password').fill('too short');
  await saveScreenshot(page, 'portal/sign-up-phone');
  await page.getByRole('button', { name: 'Create account' }).tap();

  const summary = page.getByRole('alert');
  await summary.waitFor();
  assert.match((await summary.textContent())!, /Choose a password of at least 12 characters/);
  assert.equal(await page.locator(':focus').getAttribute('role'), 'alert', 'the summary takes focus, so a screen reader reads it first');
  assert.equal(await page.getByLabel('Email address').inputValue(), email, 'what was typed is kept');
  assert.equal(await page.getByLabel('Password').inputValue(), '', 'but never the password');
  assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true');
  await saveScreenshot(page, 'portal/sign-up-errors-phone');
  await summary.getByRole('link').tap();
  assert.equal(await page.locator(':focus').getAttribute('id'), 'password', 'the summary\'s link goes to the field');

  await page.keyboard.type('correct horse battery staple');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
  await saveScreenshot(page, 'portal/check-email-phone');

  await page.getByRole('link', { name: 'development outbox' }).tap();
  await page.getByRole('heading', { level: 1, name: 'Development outbox' }).waitFor();
  const mail = page.getByRole('article').filter({ hasText: `To ${email}` });
  assert.equal(await mail.count(), 1);
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= 390, `nothing scrolls sideways at 390 px (${width})`);
  await saveScreenshot(page, 'portal/outbox-phone');
  await mail.getByRole('link').tap();
  await page.getByRole('heading', { level: 1, name: 'Email address confirmed' }).waitFor();
  await saveScreenshot(page, 'portal/verified-phone');
});
