/**
 * Organisations and applications in a real Chromium: an operator signs in with a TOTP code,
 * searches, opens the organisation and its application (with a week of usage drawn), suspends it,
 * and the application's next call through the gateway is refused. Each page with a screenshot and
 * an accessibility check.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';

import { addRollups } from '../../src/analytics/rollup.store.ts';
import { subscribe } from '../../src/gateway/catalogue/subscriptions.service.ts';
import { createApplication, createOrganisation, issueApiKey } from '../../src/gateway/consumers/consumers.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { sparseOf } from '../analytics/analytics-test-kit.ts';
import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { insertOperator, signInOnPage } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi, addTestPlan } from '../helpers/gateway-catalogue.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

let portcullis: TestPortcullis;
let upstream: UpstreamServer;
before(async () => {
  upstream = await startUpstreamServer();
  portcullis = await startTestPortcullis();
});
after(async () => {
  await portcullis?.close();
  await upstream?.close();
});

const DAY_MS = 86_400_000;

/** Northwind Payments, two members, its Ledger app on a plan with a key and a week of calls; a second organisation beside it. */
async function northwind() {
  const tag = randomUUID().slice(0, 4);
  const context = { db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'partner' as const };
  const basePath = `/ledger-${randomUUID().slice(0, 8)}/v1`;
  const { id: apiId } = await addTestApi(portcullis.db, portcullis.events, { version: 'v1', basePath, authKind: 'api-key', upstreams: [{ url: upstream.url, weight: 100 }], routes: [{ method: 'GET', path: '/balances' }] });
  const planId = await addTestPlan(portcullis.db, portcullis.events, { name: `Growth-${tag}`, apiIds: [apiId], selfService: true, quotaPerDay: 5000 });
  const organisation = await createOrganisation(context, { name: 'Northwind Payments' });
  await createOrganisation(context, { name: 'Fabrikam Lending' });
  for (const [name, role] of [['Grace Hopper', 'owner'], ['Alan Turing', 'developer']] as const) {
    // Addresses are unique in the store, which on PostgreSQL outlives a run; they never sign in, so no password hash to compute.
    const email = `${name.split(' ')[0]!.toLowerCase()}.${tag}@northwind.example`;
    const developerId = `dev-${randomUUID()}`;
    await portcullis.db('portal_developers').insert({ id: developerId, email, email_key: email, name, password_hash: 'never-signs-in', created_at: new Date() });
    await portcullis.db('organisation_members').insert({ organisation_id: organisation.id, developer_id: developerId, role, created_at: new Date() });
  }
  await createApplication(context, { organisationId: organisation.id, name: 'Northwind Reports' });
  const application = await createApplication(context, { organisationId: organisation.id, name: 'Northwind Ledger' });
  await subscribe(context, { applicationId: application.id, planId });
  const { key } = await issueApiKey(context, application.id);
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  await addRollups(portcullis.db, Array.from({ length: 6 }, (_, index) => index + 1).flatMap((daysAgo) => [200, 404, 500].map((status) => {
    const calls = status === 200 ? 120 + 40 * (daysAgo % 3) : status === 404 ? 6 + daysAgo : daysAgo % 2;
    const latencies = Array.from({ length: calls }, (_, call) => 30 + ((call * 7 + daysAgo * 11) % 90));
    const histogram = sparseOf(latencies);
    return {
      minute: new Date(today - daysAgo * DAY_MS + 3_600_000), api_id: apiId, route_id: '', application_id: application.id, plan_id: planId, status, api_name: 'ledger', api_version: 'v1',
      route_method: 'GET', route_template: '/balances', count: calls, request_bytes: 0, response_bytes: 200 * calls, total_ms: histogram, upstream_ms: histogram, gateway_ms: sparseOf(latencies.map(() => 2)),
    };
  }).filter((row) => row.count > 0)));
  const call = () => tlsFetch(portcullis.caPem)(`${portcullis.urls.public}${basePath}/balances`, { headers: { 'x-api-key': key } });
  return { call, organisationId: organisation.id, applicationId: application.id };
}

browserTest('suspend an application and see its next call refused', {}, async (page) => {
  const { call, organisationId, applicationId } = await northwind();
  assert.equal((await call()).status, 200);
  const operator = await insertOperator(portcullis.db, portcullis.secrets, { role: 'operator', name: 'Katherine Johnson' });
  await page.goto(`${portcullis.urls.browser}/console/organisations`);
  await signInOnPage(page, operator);
  await page.getByRole('heading', { level: 1, name: 'Organisations' }).waitFor();

  await page.getByLabel('Search by organisation, application or a member\'s email address').fill('NORTHWIND');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('status').filter({ hasText: /match(es)? “NORTHWIND”/ }).waitFor();
  await saveScreenshot(page, 'console/organisations');
  await page.locator(`a[href="/console/organisations/${organisationId}"]`).click();
  await page.getByRole('heading', { level: 1, name: 'Northwind Payments' }).waitFor();
  assert.match((await page.locator('main').textContent())!, /grace\.[0-9a-f]{4}@northwind\.example\s*Owner/);
  await saveScreenshot(page, 'console/organisation');

  await page.locator(`a[href="/console/applications/${applicationId}"]`).click();
  await page.getByRole('heading', { level: 1, name: /Northwind Ledger/ }).waitFor();
  await eventually(async () => /calls in 7 days/.test((await page.reload(), await page.locator('figure').first().innerHTML())), { withinMs: 5_000, what: 'the usage drawn' });
  await saveScreenshot(page, 'console/application');

  await page.getByRole('button', { name: 'Suspend the application' }).click();
  await page.getByRole('status').filter({ hasText: 'The application is suspended' }).waitFor();
  await saveScreenshot(page, 'console/application-suspended');
  const refusedWithin = await eventually(async () => (await call()).status === 403, { withinMs: 1_000, what: 'the next call refused' });
  assert.ok(refusedWithin <= 1_000);
  const refused = await call();
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /suspended/);
});
