/**
 * The console's overview and Analytics in a real Chromium: an operator sends traffic through the
 * gateway and sees the analytics move, compares the hour with the one before, and opens the
 * overview; a viewer reads both on a phone. Each page with a screenshot and an accessibility check.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';

import type { Page } from 'playwright-core';

import { addRollups } from '../../src/analytics/rollup.store.ts';
import { subscribe } from '../../src/gateway/catalogue/subscriptions.service.ts';
import { createApplication, createOrganisation, issueApiKey } from '../../src/gateway/consumers/consumers.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { sparseOf } from '../analytics/analytics-test-kit.ts';
import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { insertOperator, type TestOperator, signInOnPage } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi, addTestPlan } from '../helpers/gateway-catalogue.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

let portcullis: TestPortcullis;
let upstream: UpstreamServer;
let apiId: string;
let apiName: string;
let send: (path: string) => Promise<number>;
/** Calls counted before the journey: those that waited for the gateway to route the new API. */
let baseline: number;

before(async () => {
  upstream = await startUpstreamServer((request, res) => {
    res.statusCode = request.url.endsWith('/fail') ? 500 : 200;
    res.setHeader('content-type', 'application/json');
    if (request.url.endsWith('/slow')) setTimeout(() => res.end('{}'), 80);
    else res.end('{}');
  });
  portcullis = await startTestPortcullis();
  const basePath = `/accounts-${randomUUID().slice(0, 8)}/v2`;
  // Unique on a shared store, where API names and versions are.
  apiName = `Accounts-${randomUUID().slice(0, 4)}`;
  const api = await addTestApi(portcullis.db, portcullis.events, {
    name: apiName, version: 'v2', basePath, authKind: 'api-key', upstreams: [{ url: upstream.url, weight: 100 }],
    routes: [{ method: 'GET', path: '/balances' }, { method: 'GET', path: '/slow' }, { method: 'GET', path: '/fail' }],
  });
  apiId = api.id;
  const planId = await addTestPlan(portcullis.db, portcullis.events, { apiIds: [apiId], selfService: true });
  const context = { db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'ops' as const };
  const organisation = await createOrganisation(context, { name: 'Fintech Ltd' });
  const application = await createApplication(context, { organisationId: organisation.id, name: 'Budgeting app' });
  await subscribe(context, { applicationId: application.id, planId });
  const { key } = await issueApiKey(context, application.id);
  const call = tlsFetch(portcullis.caPem);
  send = async (path) => (await call(`${portcullis.urls.public}${basePath}${path}`, { headers: { 'x-api-key': key } })).status;
  await eventually(async () => (await send('/balances')) === 200, { withinMs: 3_000, what: 'the API routed' });
  const counted = async () => Number((await portcullis.db('analytics_minute_rollups').where({ api_id: apiId }).sum({ n: 'count' }).first())?.n ?? 0);
  await eventually(async () => (baseline = await counted()) > 0, { withinMs: 5_000, what: 'the first calls counted' });
  // The hour before, for the comparison: 20 calls an hour and ten minutes ago.
  const earlier = new Date(Math.floor((Date.now() - 70 * 60_000) / 60_000) * 60_000);
  await addRollups(portcullis.db, [{
    minute: earlier, api_id: apiId, route_id: api.routeIds[0]!, application_id: application.id, plan_id: planId, status: 200, api_name: apiName, api_version: 'v2',
    route_method: 'GET', route_template: '/balances', count: 20, request_bytes: 0, response_bytes: 2000, total_ms: sparseOf(Array(20).fill(12)), upstream_ms: sparseOf(Array(20).fill(10)), gateway_ms: sparseOf(Array(20).fill(2)),
  }]);
});
after(async () => {
  await portcullis?.close();
  await upstream?.close();
});

async function signIn(page: Page, operator: TestOperator): Promise<void> {
  await page.goto(`${portcullis.urls.browser}/console/sign-in`);
  await signInOnPage(page, operator);
  await page.getByRole('heading', { level: 1, name: 'The API programme today' }).waitFor();
}

const callsFigure = (page: Page) => page.locator('.console-figure', { hasText: /calls?$/ }).first().locator('.console-figure-value');

browserTest('an operator sends traffic and sees the analytics move, compares it with the hour before, then opens the overview', {}, async (page) => {
  await signIn(page, await insertOperator(portcullis.db, portcullis.secrets, { role: 'operator', name: 'Grace Hopper' }));
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Analytics' }).click();
  await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
  await page.getByLabel('API').selectOption({ label: `${apiName} v2` });
  await page.getByLabel('Period', { exact: true }).selectOption('hour');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('heading', { level: 2, name: 'Selected calls' }).waitFor();
  assert.equal(await callsFigure(page).textContent(), String(baseline));

  for (const path of [...Array(13).fill('/balances'), '/slow', '/slow', '/slow', '/fail']) assert.equal(await send(path), path === '/fail' ? 500 : 200);
  await eventually(async () => {
    await page.reload();
    return (await callsFigure(page).textContent()) === String(baseline + 17);
  }, { withinMs: 5_000, what: 'the calls on the page' });
  assert.match((await page.locator('main').textContent())!, /1 error \(\d+(\.\d)? %; \d+(\.\d)? % 5xx\)/);
  await page.getByRole('img', { name: 'Calls per minute, by status class' }).waitFor();
  await saveScreenshot(page, 'console/analytics');

  await page.getByLabel('Second period').selectOption('previous');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('heading', { level: 2, name: 'Compared with the period before' }).waitFor();
  const calls = page.getByRole('row', { name: /^Calls/ });
  const now = baseline + 17;
  assert.deepEqual(await calls.getByRole('cell').allTextContents(), [String(now), '20', now === 20 ? 'no change' : `${now > 20 ? '+' : '−'}${Math.abs(now - 20)} (${now > 20 ? '+' : '−'}${Math.abs((now - 20) * 5)} %)`]);
  await saveScreenshot(page, 'console/analytics-compare');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV of this selection' }).click();
  assert.match((await download).suggestedFilename(), /^analytics-.*\.csv$/);

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Overview' }).click();
  await page.getByRole('navigation', { name: 'Traffic period' }).getByRole('link', { name: 'Last hour' }).click();
  await page.getByRole('link', { name: `${apiName} v2` }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Last hour' }).getAttribute('aria-current'), 'page');
  await saveScreenshot(page, 'console/overview');
});

browserTest('a viewer reads the overview and the analytics on a phone', { phone: true }, async (page) => {
  await signIn(page, await insertOperator(portcullis.db, portcullis.secrets, { role: 'viewer', name: 'Valerie Viewer' }));
  await page.getByRole('heading', { level: 2, name: 'Traffic' }).waitFor();
  await saveScreenshot(page, 'console/overview-phone');
  assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 390, 'nothing scrolls sideways');
  await page.goto(`${portcullis.urls.browser}/console/analytics?apiId=${encodeURIComponent(apiId)}&range=hour&compare=previous`);
  await page.getByRole('heading', { level: 2, name: 'Compared with the period before' }).waitFor();
  await saveScreenshot(page, 'console/analytics-phone');
  assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 390, 'nothing scrolls sideways');
});
