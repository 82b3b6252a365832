/**
 * Billing in a real Chromium: an operator runs a billing period, reads its lines and totals,
 * closes it, pushes it (no provider configured: recorded only) and exports it as CSV; each page
 * with a screenshot and an accessibility check.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before } from 'node:test';

import type { Page } from 'playwright-core';

import { addBilledApplication, addCalls, addPricedPlan, inMonth } from '../helpers/billing-fixtures.ts';
import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { insertOperator, type TestOperator, signInOnPage } from '../helpers/console-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

let portcullis: TestPortcullis;
// A month of this file's own: after the months other files pick at random, before the active
// subscriptions of test/billing/billing-run.test.ts.
const month = '2018-06';

before(async () => {
  portcullis = await startTestPortcullis();
  const { db } = portcullis;
  // On PostgreSQL an earlier run's month, and its calls, are still there.
  await db('billing_months').where({ month }).delete();
  await db('analytics_minute_rollups').where('minute', '>=', inMonth(month, -1)).where('minute', '<', inMonth(month, 31)).delete();
  // Plan names are unique (and slugs, as the catalogue makes them): on PostgreSQL an earlier run's plans are taken again.
  const plan = async (name: string, fields: Parameters<typeof addPricedPlan>[1]) => {
    const existing: { id: string } | undefined = await db('gateway_plans').first('id').where({ name });
    if (!existing) return addPricedPlan(db, { name, ...fields });
    const { api_id: apiId } = await db('gateway_plan_apis').first('api_id').where({ plan_id: existing.id });
    return { planId: existing.id, planName: name, apiId };
  };
  const gold = await plan('clinics-gold', { priceMinorUnits: 49_900, quotaPerMonth: 1_000_000 });
  const starter = await plan('clinics-starter', { priceMinorUnits: 4_900, quotaPerMonth: 50_000 });
  const europe = await plan('clinics-europe', { priceMinorUnits: 12_000, currency: 'EUR' });
  const cancelled = { since: inMonth(month, 40), status: 'cancelled' as const };
  const usage: Array<[string, typeof gold, number]> = [['Clinic Finder', gold, 412_337], ['Appointments', starter, 18_204], ['Pharmacy Locator', europe, 9_120], ['Prescriptions', starter, 2_051]];
  for (const [name, plan, calls] of usage) {
    const application = await addBilledApplication(db, name, { planId: plan.planId, ...cancelled });
    await addCalls(db, { minute: inMonth(month, 3), ...application, ...plan, count: calls });
  }
});
after(() => portcullis?.close());

async function signIn(page: Page, operator: TestOperator): Promise<void> {
  await page.goto(`${portcullis.urls.browser}/console/sign-in`);
  await signInOnPage(page, operator);
  await page.getByRole('heading', { level: 1, name: 'The API programme today' }).waitFor();
}

browserTest('an operator runs a billing period, closes it, pushes it and exports it', {}, async (page) => {
  await signIn(page, await insertOperator(portcullis.db, portcullis.secrets, { role: 'admin', name: 'Ada Lovelace' }));
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Billing' }).click();
  await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
  await page.getByLabel('Month', { exact: true }).fill(month);
  await page.getByRole('button', { name: 'Run the month' }).click();

  await page.getByRole('heading', { level: 1, name: 'Billing: June 2018' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'The month has been run' }).waitFor();
  const lines = page.locator('table.billing-lines tbody tr');
  assert.equal(await lines.count(), 4);
  assert.match((await lines.filter({ hasText: 'Clinic Finder' }).textContent())!.replace(/\s+/g, ' '), /412,337 of 1,000,000 499.00 GBP Not yet/);
  assert.deepEqual(await page.locator('table.billing-totals tbody td').allTextContents(), ['120.00 EUR', '597.00 GBP']);

  await page.getByRole('button', { name: 'Close the month' }).click();
  await page.getByRole('status').filter({ hasText: 'The month has been closed' }).waitFor();
  await page.getByRole('button', { name: 'Push to the payment provider' }).click();
  await page.getByRole('status').filter({ hasText: 'its lines are recorded as sent, to nobody' }).waitFor();
  assert.equal(await page.locator('table.billing-lines .badge', { hasText: 'Recorded' }).count(), 4);
  await saveScreenshot(page, 'console/billing-month');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: /Export as CSV/ }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), `billing-${month}.csv`);
  const csv = (await readFile((await file.path())!, 'utf8')).split('\r\n');
  assert.equal(csv[0], 'month,organisation_id,organisation,application_id,application,plan_id,plan,calls,amount_minor_units,currency,amount,push_state');
  assert.equal(csv.filter((row) => row.startsWith(`${month},`) && row.endsWith(',sent')).length, 4);
  assert.ok(csv.some((row) => /,Clinic Finder Ltd,.*,Clinic Finder,.*,412337,49900,GBP,499\.00,sent$/.test(row)));

  await page.getByRole('link', { name: 'Billing', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
  const row = page.locator('table.portal-table tbody tr', { hasText: 'June 2018' });
  assert.match((await row.textContent())!.replace(/\s+/g, ' '), /June 2018 Closed 4 120.00 EUR, 597.00 GBP 4 sent/);
  await saveScreenshot(page, 'console/billing');
});
