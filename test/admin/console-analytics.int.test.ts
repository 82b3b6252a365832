/**
 * The console's overview and Analytics, and the admin API's `GET /admin/v1/overview` and
 * `GET /admin/v1/analytics`, over real calls through the gateway (flushed to the rollups within a
 * second): counts, percentiles from the merged histograms, filters, two periods compared, the CSV
 * (formula-looking names made harmless), the breakers this instance opened, active consents; and
 * every bad parameter a clear 400.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { ADMIN_OPENAPI } from '../../src/admin/admin-api.openapi.ts';
import { bucketOf } from '../../src/analytics/latency-histogram.ts';
import { addRollups } from '../../src/analytics/rollup.store.ts';
import { subscribe } from '../../src/gateway/catalogue/subscriptions.service.ts';
import { createApplication, createOrganisation, issueApiKey } from '../../src/gateway/consumers/consumers.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { sparseOf } from '../analytics/analytics-test-kit.ts';
import { insertOperator, signedInConsole } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi, addTestPlan } from '../helpers/gateway-catalogue.ts';
import type { PortalBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

const SLOW_MS = 150;
// A spreadsheet would run this as a formula, were it not written as text.
const HOSTILE_NAME = '=HYPERLINK("https://evil.example","Hi")';

let portcullis: TestPortcullis;
let upstream: UpstreamServer;
let call: typeof fetch;
let viewer: PortalBrowser;
let apiId: string;
let apiName: string;
let routes: { fast: string; slow: string; fail: string };
let appA: string;
let appB: string;

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'admin', components: ADMIN_OPENAPI.components }, 'admin');
function assertMatches(schemaName: string, body: unknown): void {
  const validate = ajv.getSchema(`admin#/components/schemas/${schemaName}`)!;
  assert.ok(validate(body), `${schemaName}: ${JSON.stringify(validate.errors)}`);
}

async function admin(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return call(`${portcullis.urls.admin}/admin/v1${path}`, { headers: { authorization: `Bearer ${portcullis.secrets.adminToken}`, ...headers } });
}

const minute = (at: number) => new Date(Math.floor(at / 60_000) * 60_000);

before(async () => {
  upstream = await startUpstreamServer((request, res) => {
    const answer = () => {
      res.statusCode = request.url.endsWith('/fail') ? 500 : 200;
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    };
    if (request.url.endsWith('/slow')) setTimeout(answer, SLOW_MS);
    else answer();
  });
  portcullis = await startTestPortcullis();
  call = tlsFetch(portcullis.caPem);
  const basePath = `/traffic-${randomUUID().slice(0, 8)}/v1`;
  apiName = `traffic-${randomUUID().slice(0, 8)}`;
  const api = await addTestApi(portcullis.db, portcullis.events, {
    name: apiName, basePath, authKind: 'api-key', upstreams: [{ url: upstream.url, weight: 100 }],
    routes: [{ method: 'GET', path: '/fast' }, { method: 'GET', path: '/slow' }, { method: 'GET', path: '/fail' }],
  });
  apiId = api.id;
  routes = { fast: api.routeIds[0]!, slow: api.routeIds[1]!, fail: api.routeIds[2]! };
  const deadBasePath = `/dead-${randomUUID().slice(0, 8)}`;
  await addTestApi(portcullis.db, portcullis.events, { basePath: deadBasePath, authKind: 'none', upstreams: [{ url: 'http://127.0.0.1:9', weight: 100 }], routes: [{ method: 'GET', path: '/x' }] });
  const planId = await addTestPlan(portcullis.db, portcullis.events, { apiIds: [apiId], selfService: true });
  const context = { db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'partner' as const };
  const organisation = await createOrganisation(context, { name: 'Traffic Ltd' });
  const keys: Record<string, string> = {};
  for (const name of [HOSTILE_NAME, 'Quiet app', 'Busy app']) {
    const application = await createApplication(context, { organisationId: organisation.id, name });
    await subscribe({ ...context, actor: 'ops' }, { applicationId: application.id, planId });
    keys[name] = (await issueApiKey(context, application.id)).key;
    if (name === HOSTILE_NAME) appA = application.id;
    if (name === 'Quiet app') appB = application.id;
    if (name === 'Busy app') {
      // Far busier than any other test's traffic in the shared store: first among the busiest, surely.
      await addRollups(portcullis.db, [{
        minute: minute(Date.now() - 120_000), api_id: apiId, route_id: routes.fast, application_id: application.id, plan_id: planId, status: 200, api_name: apiName, api_version: 'v1',
        route_method: 'GET', route_template: '/fast', count: 1_000_000, request_bytes: 0, response_bytes: 0, total_ms: { [String(bucketOf(2))]: 1_000_000 }, upstream_ms: {}, gateway_ms: {},
      }]);
    }
  }
  viewer = await signedInConsole(portcullis.caPem, portcullis.urls.browser, await insertOperator(portcullis.db, portcullis.secrets, { role: 'viewer' }));

  // The hostile-named application: 6 fast, 2 slow, 2 failing calls; the quiet one: 3 fast.
  const get = (path: string, key: string) => call(`${portcullis.urls.public}${basePath}${path}`, { headers: { 'x-api-key': key } });
  await eventually(async () => (await get('/fast', keys['Busy app']!)).status === 200, { withinMs: 3_000, what: 'the API routed' });
  const plan = [...Array(6).fill('/fast'), '/slow', '/slow', '/fail', '/fail'];
  for (const path of plan) assert.equal((await get(path, keys[HOSTILE_NAME]!)).status, path === '/fail' ? 500 : 200);
  for (let i = 0; i < 3; i++) assert.equal((await get('/fast', keys['Quiet app']!)).status, 200);
  // Calls to an upstream that refuses connections open its breaker on this instance.
  await eventually(async () => (await call(`${portcullis.urls.public}${deadBasePath}/x`)).status === 503, { withinMs: 5_000, what: 'the breaker open' });

  // The hour before: 4 calls of the hostile-named application, 10 ms each.
  await addRollups(portcullis.db, [{
    minute: minute(Date.now() - 70 * 60_000), api_id: apiId, route_id: routes.fast, application_id: appA, plan_id: planId, status: 200, api_name: apiName, api_version: 'v1',
    route_method: 'GET', route_template: '/fast', count: 4, request_bytes: 0, response_bytes: 40, total_ms: sparseOf([10, 10, 10, 10]), upstream_ms: sparseOf([9, 9, 9, 9]), gateway_ms: sparseOf([1, 1, 1, 1]),
  }]);
  const calls = async (applicationId: string) => ((await (await admin(`/analytics?apiId=${apiId}&applicationId=${applicationId}&range=hour`)).json()) as { totals: { calls: number } }).totals.calls;
  await eventually(async () => (await calls(appA)) === 10 && (await calls(appB)) === 3, { withinMs: 5_000, what: 'the calls flushed to the rollups' });
});
after(async () => {
  await portcullis?.close();
  await upstream?.close();
});

test('the admin API counts the calls, their errors and percentiles, and compares with the hour before', async () => {
  const answer = await admin(`/analytics?apiId=${apiId}&applicationId=${appA}&range=hour&compare=previous`);
  assert.equal(answer.status, 200);
  const body = await answer.json() as any;
  assertMatches('AnalyticsReport', body);
  assert.deepEqual(body.filters, { apiId, routeId: null, applicationId: appA, status: null });
  assert.equal(body.bucket, 'minute');
  assert.equal(body.series.length, 60);
  assert.equal(Date.parse(body.to) - Date.parse(body.from), 3_600_000);
  const { totals } = body;
  assert.deepEqual([totals.calls, totals.byStatusClass['2xx'], totals.byStatusClass['5xx'], totals.errors, totals.errorRate, totals.serverErrorRate], [10, 8, 2, 2, 0.2, 0.2]);
  // Nearest rank over the merged histogram: p50 is the 5th of 10 (a fast call), p95 and p99 the 10th (a slow one).
  assert.ok(totals.latencyMs.p50 < SLOW_MS / 2, `p50 ${totals.latencyMs.p50}`);
  assert.ok(totals.latencyMs.p95 >= SLOW_MS * 0.95 && totals.latencyMs.p99 >= totals.latencyMs.p95, `p95 ${totals.latencyMs.p95}, p99 ${totals.latencyMs.p99}`);
  assert.equal(body.series.reduce((sum: number, point: any) => sum + point.calls, 0), 10);

  const { comparison } = body;
  assert.equal(comparison.kind, 'previous');
  assert.equal(comparison.to, body.from);
  assert.equal(comparison.totals.calls, 4);
  assert.ok(Math.abs(comparison.totals.latencyMs.p50 - 10) <= 10 * 0.0443, `the hour before's p50 ${comparison.totals.latencyMs.p50}`);
  assert.deepEqual(comparison.change.calls, { difference: 6, relative: 1.5 });
  assert.deepEqual(comparison.change.errorRate, { difference: 0.2, relative: null });

  const chosen = minute(Date.now() - 70 * 60_000);
  const custom = await (await admin(`/analytics?apiId=${apiId}&range=hour&compare=custom&compareFrom=${new Date(chosen.getTime() - 300_000).toISOString()}&compareTo=${new Date(chosen.getTime() + 60_000).toISOString()}`)).json() as any;
  assert.deepEqual([custom.comparison.kind, custom.comparison.totals.calls, custom.comparison.series.length], ['custom', 4, 6]);
});

test('filters: by route, status class, application, and a custom period', async () => {
  const totals = async (query: string) => ((await (await admin(`/analytics?apiId=${apiId}&${query}`)).json()) as any).totals;
  const slow = await totals(`routeId=${routes.slow}&range=hour`);
  assert.equal(slow.calls, 2);
  assert.ok(slow.latencyMs.p50 >= SLOW_MS * 0.95, 'only slow calls');
  assert.deepEqual([(await totals('status=5xx&range=hour')).calls, (await totals(`applicationId=${appB}&range=hour`)).calls, (await totals(`applicationId=${appA}&status=2xx&range=hour`)).calls], [2, 3, 8]);
  const from = new Date(Date.now() - 80 * 60_000).toISOString().slice(0, 16);
  const to = new Date(Date.now() - 60 * 60_000).toISOString().slice(0, 16);
  const custom = await (await admin(`/analytics?apiId=${apiId}&from=${from}&to=${to}`)).json() as any;
  assert.deepEqual([custom.range, custom.bucket, custom.totals.calls], ['custom', 'minute', 4], 'a datetime-local value is UTC');
});

test('CSV: by format or Accept, from the admin API and the console alike, names harmless in a spreadsheet', async () => {
  const query = `apiId=${apiId}&applicationId=${appA}&range=hour&compare=previous`;
  const byFormat = await admin(`/analytics?${query}&format=csv`);
  assert.equal(byFormat.status, 200);
  assert.match(byFormat.headers.get('content-type')!, /^text\/csv; charset=utf-8/);
  assert.match(byFormat.headers.get('content-disposition')!, /^attachment; filename="analytics-.*\.csv"$/);
  const csv = await byFormat.text();
  const lines = csv.split('\r\n');
  assert.equal(lines.at(-1), '', 'every record ends with CRLF');
  assert.equal(lines[0], 'period,row,start,end,api,route,application,status_class,calls,status_1xx,status_2xx,status_3xx,status_4xx,status_5xx,errors,error_rate,latency_p50_ms,latency_p95_ms,latency_p99_ms,request_bytes,response_bytes');
  assert.equal(lines.length, 1 + 61 + 61 + 1);
  const total = lines.find((line) => line.startsWith('selected,total,'))!;
  assert.ok(total.includes(`,${apiName} v1,all,"'=HYPERLINK(""https://evil.example"",""Hi"") (Traffic Ltd)",all,10,0,8,0,0,2,2,0.2,`), total);
  assert.match(lines.find((line) => line.startsWith('compared,total,'))!, /,all,4,0,4,0,0,0,0,0,/);

  const byAccept = await admin(`/analytics?${query}`, { accept: 'text/csv' });
  assert.match(byAccept.headers.get('content-type')!, /^text\/csv/);
  assert.equal(byAccept.headers.get('vary'), 'Accept');
  const fromConsole = await viewer.get(`/console/analytics?${query}&format=csv`);
  assert.equal(fromConsole.status, 200);
  assert.match(fromConsole.headers.get('content-type')!, /^text\/csv/);
  assert.ok((await fromConsole.text()).includes(total), 'the console exports the same rows');
});

test('the console\'s Analytics page shows the selection, its comparison, charts and tables', async () => {
  const page = await viewer.get(`/console/analytics?apiId=${apiId}&applicationId=${appA}&range=hour&from=&to=&compare=previous&compareFrom=&compareTo=`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.equal([...html.matchAll(/<svg [^>]*role="img"/g)].length, 4, 'calls, errors, latency, and both periods');
  assert.match(html, /<span class="console-figure-value">10<\/span> <span>calls<\/span>/);
  assert.match(html, /<span class="console-figure-value">2<\/span> <span>errors <span class="detail">\(20 %; 20 % 5xx\)/);
  assert.match(html, /<th scope="row" data-label="Figure">Calls<\/th>\s*<td[^>]*>10<\/td>\s*<td[^>]*>4<\/td>\s*<td[^>]*>\+6 \(\+150 %\)<\/td>/);
  assert.match(html, /10 calls; the most, \d+, at \d+ \w+ \d\d:\d\d UTC\./);
  assert.match(html, /application: <strong>=HYPERLINK\(&#34;https:\/\/evil.example&#34;,&#34;Hi&#34;\) \(Traffic Ltd\)<\/strong>/);
  assert.match(html, /href="\/console\/analytics\?apiId=[^"]+&amp;format=csv" download>/);
  assert.doesNotMatch(html, /<script/);
});

test('the overview: traffic, the busiest API and application, active consents, this instance\'s open breaker', async () => {
  const before = await (await admin('/overview?range=hour')).json() as any;
  const clientId = `client-${randomUUID()}`;
  const consent = (status: string, expiresAt: Date | null) => ({ id: `consent-${randomUUID()}`, kind: 'account-access', client_id: clientId, status, request: '{}', expires_at: expiresAt });
  await portcullis.db('consents').insert([consent('Authorised', null), consent('Authorised', new Date(Date.now() - 60_000)), consent('Revoked', null)]);

  const answer = await admin('/overview?range=hour');
  assert.equal(answer.status, 200);
  const overview = await answer.json() as any;
  assertMatches('TrafficOverview', overview);
  if (storeKind === 'pglite') assert.equal(overview.activeConsents - before.activeConsents, 1, 'authorised and unexpired only');
  else assert.ok(overview.activeConsents > before.activeConsents);
  // The readiness calls before the catalogue reached the gateway may have added a few, refused.
  const ours = ((await (await admin(`/analytics?apiId=${apiId}&range=hour`)).json()) as any).totals;
  assert.ok(ours.calls >= 1_000_013);
  assert.deepEqual(overview.topApis[0], { id: apiId, name: `${apiName} v1`, calls: ours.calls, clientErrors: ours.byStatusClass['4xx'], serverErrors: 2 });
  assert.equal(overview.topApplications[0].name, 'Busy app (Traffic Ltd)');
  assert.equal(overview.breakers.gatewayInThisProcess, true);
  assert.deepEqual(overview.breakers.notClosed.find((breaker: any) => breaker.upstream === 'http://127.0.0.1:9/'), { upstream: 'http://127.0.0.1:9/', state: 'open' });

  const html = await (await viewer.get('/console?range=hour')).text();
  assert.match(html, /<h1>The API programme today<\/h1>/);
  assert.match(html, /<a href="\?range=hour#traffic" aria-current="page">Last hour<\/a>/);
  assert.match(html, new RegExp(`<a href="/console/analytics\\?apiId=${apiId}&amp;range=hour">${apiName} v1</a></th>\\s*<td data-label="Calls">${ours.calls.toLocaleString('en-GB')}</td>`));
  assert.match(html, /<code>http:\/\/127.0.0.1:9\/<\/code> <span class="badge">Open<\/span>/);
  assert.match(html, /As this instance's gateway sees them/);
  assert.equal([...html.matchAll(/<svg [^>]*role="img"/g)].length, 2);
});

test('bad parameters are clear 400s, on the admin API and the console', async () => {
  const cases: Array<[string, string]> = [
    ['status=6xx', 'status'],
    ['range=year', 'range'],
    ['from=2026-13-01T00:00', 'from'],
    ['from=2026-12-02T00:00Z&to=2026-12-01T00:00Z', 'to'],
    ['from=2025-01-01&to=2026-12-01', 'to'],
    ['from=2026-12-01', 'to'],
    ['range=hour&from=2026-12-01T00:00Z', 'from'],
    ['compare=custom', 'compareFrom'],
    ['compareFrom=2026-12-01', 'compareFrom'],
    ['apiId=a&apiId=b', 'apiId'],
    ['format=xml', 'format'],
    ['bogus=1', 'bogus'],
  ];
  for (const [query, path] of cases) {
    const answer = await admin(`/analytics?${query}`);
    assert.equal(answer.status, 400, query);
    assert.match(answer.headers.get('content-type')!, /^application\/problem\+json/);
    const problem = await answer.json() as { errors: Array<{ path: string; message: string }> };
    assert.ok(problem.errors.some((error) => error.path === path), `${query}: ${JSON.stringify(problem.errors)}`);
  }
  assert.equal((await admin('/overview?range=7d')).status, 400);
  assert.equal((await admin('/overview?other=1')).status, 400);

  const page = await viewer.get('/console/analytics?status=6xx&range=hour');
  assert.equal(page.status, 400);
  assert.match(await page.text(), /<a href="#status">status: must be one of 1xx, 2xx, 3xx, 4xx, 5xx<\/a>/);
  assert.equal((await viewer.get('/console?range=week')).status, 400);
  // The form's date fields count only when their choice says so.
  assert.equal((await viewer.get('/console/analytics?range=day&from=2026-12-01T00:00&to=2026-12-02T00:00&compare=&compareFrom=2026-12-01T00:00')).status, 200);
});
