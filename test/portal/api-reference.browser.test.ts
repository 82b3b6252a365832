/**
 * The API reference in a real Chromium under the real CSP: an Open Banking operation's page on a
 * desktop, opened by keyboard, and "try it" on a phone, signed in, with the gateway's answer; no
 * script runs and no CSP violation is reported, with a screenshot and an accessibility check of
 * each page. The HTTP-level rules are covered by api-reference.int.test.ts.
 */
import assert from 'node:assert/strict';

import type { Page } from 'playwright-core';

import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { insertVerifiedDeveloper } from '../helpers/portal-browser.ts';
import { useReferenceApis } from '../helpers/reference-apis.ts';

const apis = useReferenceApis((_request, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ currency: 'EUR', rate: 1.1642, previous: { currency: 'EUR', rate: 1.1618 } }));
});

/** Collects what the browser reports about the page's CSP (violations are logged to the console) and any script error. */
function watchForViolations(page: Page): string[] {
  const reported: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) reported.push(message.text());
  });
  page.on('pageerror', (error) => reported.push(error.message));
  return reported;
}

async function assertNoSidewaysScroll(page: Page): Promise<void> {
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= 390, `nothing scrolls sideways at 390 px (${width})`);
}

browserTest('an Open Banking operation\'s reference on a desktop, by keyboard, under the strict CSP', {}, async (page) => {
  const violations = watchForViolations(page);
  const response = await page.goto(`${apis.portcullis.urls.browser}/apis/${apis.accountsId}`);
  assert.doesNotMatch(response!.headers()['content-security-policy']!, /script-src|unsafe/);
  await page.getByRole('link', { name: '/accounts/{AccountId}', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Get Accounts' }).waitFor();
  assert.equal(Number(await page.evaluate('document.scripts.length')), 0, 'the reference page has no script');
  // The 200 answer's Data object, opened from the keyboard.
  const data = page.locator('#response-200 ~ ul.schema-fields > li > details > summary').first();
  await data.focus();
  await page.keyboard.press('Enter');
  assert.equal(await data.locator('xpath=..').getAttribute('open'), '');
  await page.getByRole('heading', { name: 'Try it' }).waitFor();
  await saveScreenshot(page, 'portal/api-reference-desktop');
  assert.deepEqual(violations, []);
});

browserTest('a developer tries an operation with their key, on a phone, and reads the answer', { phone: true }, async (page) => {
  const violations = watchForViolations(page);
  const developer = await insertVerifiedDeveloper(apis.portcullis.db);
  await page.goto(`${apis.portcullis.urls.browser}/apis/${apis.ratesId}/operations/GetRate`);
  await page.getByRole('link', { name: 'Sign in' }).last().tap();
  await page.getByLabel('Email address').fill(developer.email);
  await page.getByLabel('Password').fill(developer.password);
  await page.getByRole('button', { name: 'Sign in' }).tap();
  await page.getByRole('heading', { level: 1, name: 'One currency\'s rate' }).waitFor();
  await assertNoSidewaysScroll(page);
  await saveScreenshot(page, 'portal/api-reference-phone');

  await page.getByRole('button', { name: 'Send to the sandbox' }).tap();
  await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  assert.equal(await page.getByLabel('currency (path, required)').getAttribute('aria-invalid'), 'true');
  await saveScreenshot(page, 'portal/api-reference-try-it-mistakes-phone');

  await page.getByLabel('API key').fill(apis.key);
  await page.getByLabel('currency (path, required)').fill('EUR');
  await page.getByLabel('units (query)').selectOption('metric');
  await page.getByRole('button', { name: 'Send to the sandbox' }).tap();
  const answer = page.getByRole('status').filter({ hasText: 'Answer: 200' });
  await answer.waitFor();
  assert.match((await answer.locator('pre').textContent())!, /"rate": 1\.1642/);
  assert.equal(apis.upstream.seen.at(-1)!.url, '/rates/EUR?units=metric');
  assert.equal(await page.getByLabel('API key').inputValue(), '', 'the key is not filled in again');
  await assertNoSidewaysScroll(page);
  await saveScreenshot(page, 'portal/api-reference-try-it-phone');
  assert.deepEqual(violations, []);
});
