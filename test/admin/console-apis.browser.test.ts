/**
 * The console's APIs and Plans sections in a real Chromium: an operator signs in with a TOTP code,
 * finds a published version among the APIs, deprecates it from its page with a sunset date and a
 * successor, sees who still calls it, and a real call through the gateway then carries `Sunset`;
 * the plans page. Each page is screenshotted and checked for accessibility.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';

import { addRollups } from '../../src/analytics/rollup.store.ts';
import { createApplication, createOrganisation } from '../../src/gateway/consumers/consumers.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { insertOperator, signInOnPage } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi, addTestPlan, subscribeTestApplication } from '../helpers/gateway-catalogue.ts';
import { insertVerifiedDeveloper } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

let portcullis: TestPortcullis;
let upstream: UpstreamServer;
const suffix = randomUUID().slice(0, 6);
const name = `appointments-${suffix}`;
let oldId: string;

before(async () => {
  [upstream, portcullis] = await Promise.all([startUpstreamServer(), startTestPortcullis()]);
  const api = (version: string) => ({
    name, version, basePath: `/appointments-${suffix}/${version}`, authKind: 'none' as const, upstreams: [{ url: upstream.url, weight: 100 }],
    routes: [{ method: 'GET', path: '/appointments' }, { method: 'POST', path: '/appointments' }, { method: 'GET', path: '/appointments/{appointmentId}' }],
  });
  oldId = (await addTestApi(portcullis.db, portcullis.events, api('v1'))).id;
  const { id: newId } = await addTestApi(portcullis.db, portcullis.events, api('v2'));
  const starter = await addTestPlan(portcullis.db, portcullis.events, { name: `starter-${suffix}`, apiIds: [oldId, newId], selfService: true, ratePerSecond: 5, quotaPerDay: 10_000 });
  await addTestPlan(portcullis.db, portcullis.events, { name: `business-${suffix}`, apiIds: [newId], selfService: false, ratePerSecond: 50, quotaPerMonth: 5_000_000, priceMinorUnits: 24_900 });
  // An application that called v1 lately, and the owner of its organisation, to be told.
  const context = { db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'partner' as const };
  const organisation = await createOrganisation(context, { name: 'Riverside Surgery Ltd' });
  const application = await createApplication(context, { organisationId: organisation.id, name: 'Riverside Booking' });
  const owner = await insertVerifiedDeveloper(portcullis.db, { email: `owner-${suffix}@riverside.example`, name: 'Rosalind Franklin' });
  await subscribeTestApplication(portcullis.db, portcullis.events, application.id, starter);
  await portcullis.db('organisation_members').insert({ organisation_id: organisation.id, developer_id: owner.id, role: 'owner', created_at: new Date() });
  await addRollups(portcullis.db, [{
    minute: new Date(Math.floor(Date.now() / 60_000) * 60_000 - 7_200_000), api_id: oldId, route_id: '', application_id: application.id, plan_id: '', status: 200,
    api_name: name, api_version: 'v1', route_method: null, route_template: null, count: 1_280, request_bytes: 0, response_bytes: 0, total_ms: {}, upstream_ms: {}, gateway_ms: {},
  }]);
});
after(async () => {
  await portcullis?.close();
  await upstream?.close();
});

browserTest('an operator deprecates a version with a sunset date, and its calls carry Sunset', {}, async (page) => {
  const operator = await insertOperator(portcullis.db, portcullis.secrets, { role: 'operator', name: 'Katherine Johnson' });
  await page.goto(`${portcullis.urls.browser}/console/sign-in`);
  await signInOnPage(page, operator);
  await page.getByRole('heading', { level: 1, name: 'The API programme today' }).waitFor();

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'APIs', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'APIs' }).waitFor();
  await saveScreenshot(page, 'console/apis');
  await page.getByRole('link', { name: 'New API or OpenAPI import' }).click();
  await page.getByRole('heading', { level: 1, name: 'New API' }).waitFor();
  await saveScreenshot(page, 'console/api-new');
  await page.goBack();
  await page.getByRole('link', { name: `v1 of ${name}` }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`${name} v1`) }).waitFor();
  await saveScreenshot(page, 'console/api-version');

  await page.getByRole('link', { name: 'Deprecate' }).click();
  await page.getByLabel('Sunset date').fill('2099-06-30');
  await page.getByLabel('Successor').selectOption({ label: `${name} v2 (/appointments-${suffix}/v2)` });
  await saveScreenshot(page, 'console/api-deprecate');
  await page.getByRole('button', { name: 'Deprecate' }).click();
  await page.getByRole('status').filter({ hasText: 'The API is deprecated' }).waitFor();
  assert.match((await page.locator('h1').textContent())!, /Deprecated: sunset 2099-06-30/);
  assert.match((await page.getByRole('table', { name: 'Applications still calling it' }).textContent())!, new RegExp(`Riverside Booking\\s*Riverside Surgery Ltd\\s*owner-${suffix}@riverside.example\\s*1,280`));
  await saveScreenshot(page, 'console/api-deprecated');

  const call = () => tlsFetch(portcullis.caPem)(`${portcullis.urls.public}/appointments-${suffix}/v1/appointments`);
  await eventually(async () => (await call()).headers.get('sunset') === 'Tue, 30 Jun 2099 00:00:00 GMT', { withinMs: 1_000, what: 'Sunset on the deprecated version\'s calls' });
  assert.equal((await call()).headers.get('link'), `<${portcullis.config.gatewayBaseUrl}/appointments-${suffix}/v2>; rel="successor-version"`);

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Plans', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
  await saveScreenshot(page, 'console/plans');
});
