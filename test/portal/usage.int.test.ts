/**
 * An application's Usage page over real TLS against the real app and store: the analytics rollups
 * drawn as SVG charts (described in words), the figures as a table, and the quotas used.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { addRollups, type RollupRow } from '../../src/analytics/rollup.store.ts';
import { sparseOf } from '../analytics/analytics-test-kit.ts';
import { addTestApi, addTestPlan } from '../helpers/gateway-catalogue.ts';
import { csrfIn, insertVerifiedDeveloper, PortalBrowser, signedInBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

let portcullis: TestPortcullis;
let apiId: string;
let planId: string;
const planName = `metered-${randomUUID().slice(0, 8)}`;

before(async () => {
  portcullis = await startTestPortcullis();
  ({ id: apiId } = await addTestApi(portcullis.db, portcullis.events, { version: 'v1', basePath: `/usage-${randomUUID().slice(0, 8)}/v1`, authKind: 'api-key', upstreams: [{ url: 'http://127.0.0.1:9', weight: 100 }], routes: [{ method: 'GET', path: '/things' }] }));
  planId = await addTestPlan(portcullis.db, portcullis.events, { name: planName, apiIds: [apiId], quotaPerDay: 1000, quotaPerMonth: 20000 });
});
after(() => portcullis?.close());

async function newApp(): Promise<{ browser: PortalBrowser; appPath: string; applicationId: string }> {
  const browser = await signedInBrowser(portcullis.caPem, portcullis.urls.browser, await insertVerifiedDeveloper(portcullis.db));
  const organisationPath = (await browser.submit('/organisations/new', '/organisations', { name: 'Usage Co' })).headers.get('location')!.replace(/\?.*$/, '');
  const appPath = (await browser.submit(`${organisationPath}/apps/new`, `${organisationPath}/apps`, { name: 'Metered app' })).headers.get('location')!.replace(/\?.*$/, '');
  return { browser, appPath, applicationId: decodeURIComponent(appPath.split('/')[2]!) };
}

const DAY_MS = 86_400_000;

function rollup(applicationId: string, minute: Date, status: number, latencies: number[]): RollupRow {
  const histogram = sparseOf(latencies);
  return {
    minute, api_id: apiId, route_id: '', application_id: applicationId, plan_id: planId, status, api_name: 'usage', api_version: 'v1', route_method: 'GET', route_template: '/things',
    count: latencies.length, request_bytes: 0, response_bytes: 100 * latencies.length, total_ms: histogram, upstream_ms: histogram, gateway_ms: sparseOf(latencies.map(() => 1)),
  };
}

test('the charts, the table and the quotas show the application\'s calls', async () => {
  const { browser, appPath, applicationId } = await newApp();
  const html0 = await (await browser.get(appPath)).text();
  assert.equal((await browser.post(`${appPath}/subscriptions`, { csrf: csrfIn(html0), planId })).status, 303);
  const today = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const twoDaysAgo = new Date(today.getTime() - 2 * DAY_MS);
  await addRollups(portcullis.db, [
    rollup(applicationId, new Date(today.getTime() + 60_000), 200, Array.from({ length: 30 }, (_, i) => 20 + i)),
    rollup(applicationId, new Date(today.getTime() + 60_000), 404, [5, 5, 5]),
    rollup(applicationId, twoDaysAgo, 200, Array.from({ length: 10 }, () => 400)),
    rollup(applicationId, twoDaysAgo, 503, [900, 900]),
  ]);
  const page = await browser.get(`${appPath}/usage`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.equal([...html.matchAll(/<svg [^>]*role="img"/g)].length, 3, 'three charts');
  assert.match(html, /45 calls in 7 days; the most, 33, on /);
  assert.match(html, /5 calls answered 4xx or 5xx; the most, 3, on /);
  assert.match(html, /The slowest p95, \d+ ms, was on /);
  const sameMonth = twoDaysAgo.getUTCMonth() === today.getUTCMonth();
  assert.match(html, new RegExp(`${planName}: 33 of 1,000 calls today`));
  assert.match(html, new RegExp(`${planName}: ${sameMonth ? 45 : 33} of 20,000 calls this month`));
  assert.match(html, /<progress id="quota-[^"]+-day" max="1000" value="33">/);
  const rows = [...html.matchAll(/<tr>\s*<th scope="row" data-label="Day">[^<]+<\/th>\s*<td data-label="Calls">(\d+)<\/td>/g)].map((match) => Number(match[1]));
  assert.deepEqual(rows, [33, 0, 12, 0, 0, 0, 0], 'newest day first, every day of the period');
  assert.doesNotMatch(html, /<script/);

  const month = await (await browser.get(`${appPath}/usage?period=30d`)).text();
  assert.match(month, /45 calls in 30 days/);
  assert.match(month, /<a href="\?period=30d" aria-current="page">/);
  assert.match(await (await browser.get(`${appPath}/usage?period=forever`)).text(), /45 calls in 7 days/, 'an unknown period is the default');
});

test('an application without calls says so; another organisation\'s usage is a 404; signed out, sign in', async () => {
  const { browser, appPath } = await newApp();
  const html = await (await browser.get(`${appPath}/usage`)).text();
  assert.match(html, /No calls in the 7 days\./);
  assert.match(html, /No calls in this period/);
  assert.doesNotMatch(html, /NaN|undefined/);
  const other = await newApp();
  assert.equal((await browser.get(`${other.appPath}/usage`)).status, 404);
  const signedOut = await new PortalBrowser(portcullis.caPem, portcullis.urls.browser).get(`${appPath}/usage`);
  assert.equal(signedOut.status, 303);
  assert.equal(signedOut.headers.get('location'), `/account/sign-in?next=${encodeURIComponent(`${appPath}/usage`)}`);
});
