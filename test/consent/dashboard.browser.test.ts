/**
 * Connected apps in a real Chromium, on a phone and on a desktop: what only a browser shows
 * (labels, roles, focus order, the notice taking focus, the __Host- cookie being accepted at all).
 * The HTTP-level rules (CSRF, ownership, tokens) are covered by dashboard.int.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import type { Page } from 'playwright-core';

import { findConsent } from '../../src/consent/consent.store.ts';
import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { registerKeyClient } from '../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { authorisedConsent } from './authorised-consent.ts';

const ALICE = 'cust-0001';

let portcullis: TestPortcullis;
let apps: { budget: string; pocket: string };
before(async () => {
  portcullis = await startTestPortcullis();
  apps = {
    budget: (await registerKeyClient(portcullis, { client_name: 'Budget Buddy', org_name: 'Budget Buddy Ltd' })).clientId,
    pocket: (await registerKeyClient(portcullis, { client_name: 'Pocket Lender', org_name: 'Pocket Lender plc' })).clientId,
  };
});
after(() => portcullis?.close());

/** Whatever element has keyboard focus. */
function focused(page: Page) {
  return page.locator(':focus');
}

/** Signs Alice in by keyboard only: the username field has focus on arrival, Tab, Enter. */
async function signInByKeyboard(page: Page, screenshot?: string): Promise<void> {
  await page.goto(`${portcullis.urls.browser}/connected-apps`);
  await page.getByRole('heading', { level: 1, name: 'Sign in to see your connected apps' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/connected-apps/sign-in', 'a signed-out visitor is sent to sign in');
  assert.equal(await focused(page).getAttribute('id'), 'username', 'the username field has focus on arrival');
  await page.keyboard.type('alice');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page).getAttribute('id'), 'password');
  await page.keyboard.type('alice-sandbox-pass');
  if (screenshot) await saveScreenshot(page, screenshot);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Connected apps' }).waitFor();
}

browserTest('customer reviews connected apps and stops sharing with one, on a phone, confirming by keyboard', { phone: true }, async (page) => {
  const funds = await authorisedConsent(portcullis.db, ALICE, { clientId: apps.pocket, kind: 'funds-confirmation' });
  const budget = await authorisedConsent(portcullis.db, ALICE, { clientId: apps.budget, accountIds: ['acc-0001-current', 'acc-0001-savings'] });

  await signInByKeyboard(page, 'dashboard/sign-in');
  assert.equal(await page.title(), 'Connected apps · Portcullis Bank');
  const stop = page.locator(`a[href="/connected-apps/${budget.id}/revoke"]`);
  assert.equal(await page.getByRole('link', { name: 'Stop sharing with Budget Buddy', exact: true }).and(stop).count(), 1, 'the link names its app for screen readers');
  assert.ok((await stop.locator('.visually-hidden').boundingBox())!.width <= 1, 'and shows only "Stop sharing" on screen');
  assert.ok((await stop.boundingBox())!.height >= 44, 'a touch target of at least 44 px');
  const pageWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(pageWidth <= 390, `nothing scrolls sideways at 390 px (${pageWidth})`);
  await saveScreenshot(page, 'dashboard/connected-apps');

  await stop.tap();
  await page.getByRole('heading', { level: 1, name: 'Stop sharing with Budget Buddy?' }).waitFor();
  const keep = page.getByRole('link', { name: 'Keep sharing' });
  const confirm = page.getByRole('button', { name: 'Stop sharing' });
  const [keepBox, confirmBox] = [(await keep.boundingBox())!, (await confirm.boundingBox())!];
  assert.equal(Math.round(keepBox.width), Math.round(confirmBox.width), 'keeping is as big a target as stopping');
  assert.equal(Math.round(keepBox.height), Math.round(confirmBox.height));
  await saveScreenshot(page, 'dashboard/revoke');

  // Keyboard from here: the first stop is the Stop sharing button, then Keep sharing.
  await page.keyboard.press('Tab');
  assert.equal(await focused(page).textContent(), 'Stop sharing');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page).textContent(), 'Keep sharing');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');

  const notice = page.getByRole('status');
  await notice.waitFor();
  assert.equal((await notice.textContent())!.trim(), 'You have stopped sharing with Budget Buddy. It can no longer see your information.');
  assert.equal(await focused(page).getAttribute('role'), 'status', 'the notice takes focus, so a screen reader reads it first');
  assert.equal(new URL(page.url()).search, `?revoked=${budget.id}`);
  assert.equal(await stop.count(), 0, 'Budget Buddy is gone from the list');
  assert.equal(await page.locator(`a[href="/connected-apps/${funds.id}/revoke"]`).count(), 1, 'the other app is still there');
  assert.equal((await findConsent(portcullis.db, budget.id))!.status, 'Revoked');
  await saveScreenshot(page, 'dashboard/revoked');
});

browserTest('customer keeps sharing and signs out, on a desktop', {}, async (page) => {
  const budget = await authorisedConsent(portcullis.db, ALICE, { clientId: apps.budget });

  await signInByKeyboard(page);
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === '__Host-portcullis-dashboard');
  assert.ok(session, 'Chromium accepted the __Host- cookie');
  assert.deepEqual([session.secure, session.httpOnly, session.sameSite, session.path], [true, true, 'Strict', '/']);

  await page.locator(`a[href="/connected-apps/${budget.id}/revoke"]`).click();
  await page.getByRole('heading', { level: 1, name: 'Stop sharing with Budget Buddy?' }).waitFor();
  await saveScreenshot(page, 'dashboard/desktop-revoke');
  await page.getByRole('link', { name: 'Keep sharing' }).click();
  await page.getByRole('heading', { level: 1, name: 'Connected apps' }).waitFor();
  assert.equal(await page.getByRole('status').count(), 0);
  assert.equal((await findConsent(portcullis.db, budget.id))!.status, 'Authorised', 'keeping changes nothing');
  await saveScreenshot(page, 'dashboard/desktop-connected-apps');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('status').waitFor();
  assert.equal(await page.getByRole('status').textContent(), 'You have signed out.');
  await page.goto(`${portcullis.urls.browser}/connected-apps`);
  assert.equal(new URL(page.url()).pathname, '/connected-apps/sign-in', 'signed out means signed out');
});
