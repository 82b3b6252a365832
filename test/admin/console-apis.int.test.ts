/**
 * The console's APIs and Plans sections: an OpenAPI import (a YAML file) becomes a draft API
 * whose routes are the document's operations; publishing, then deprecating it with a sunset and a
 * successor makes the gateway's answers carry Deprecation, Sunset and the successor's Link, and its
 * page names the applications still calling it and whom to tell; plans are created, edited and
 * deleted unless subscribed (409). Every change is audited as its admin API route with the operator
 * as caller; mistakes come back beside their fields (400, 409); a viewer is refused every change (403).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { addRollups } from '../../src/analytics/rollup.store.ts';
import { subscribe } from '../../src/gateway/catalogue/subscriptions.service.ts';
import { createApplication, createOrganisation } from '../../src/gateway/consumers/consumers.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { insertOperator, signedInConsole, type TestOperator } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { csrfIn, insertVerifiedDeveloper, type PortalBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

let portcullis: TestPortcullis;
let upstream: UpstreamServer;
let operator: TestOperator;
let console_: PortalBrowser;
let viewer: PortalBrowser;
const suffix = randomUUID().slice(0, 8);

before(async () => {
  upstream = await startUpstreamServer();
  portcullis = await startTestPortcullis();
  operator = await insertOperator(portcullis.db, portcullis.secrets, { role: 'operator' });
  [console_, viewer] = await Promise.all([
    signedInConsole(portcullis.caPem, portcullis.urls.browser, operator),
    insertOperator(portcullis.db, portcullis.secrets, { role: 'viewer' }).then((each) => signedInConsole(portcullis.caPem, portcullis.urls.browser, each)),
  ]);
});
after(async () => {
  await portcullis?.close();
  await upstream?.close();
});

/** Posts a form as the browser would with `enctype="multipart/form-data"`, the file as `openapiFile`. */
async function postMultipart(browser: PortalBrowser, path: string, fields: Record<string, string>, file?: { name: string; text: string }): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('openapiFile', file ? new Blob([file.text]) : new Blob([]), file?.name ?? '');
  const encoded = new Request('https://form.invalid/', { method: 'POST', body: form });
  const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  return tlsFetch(portcullis.caPem)(`${portcullis.urls.browser}${path}`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': encoded.headers.get('content-type')! }, body: Buffer.from(await encoded.arrayBuffer()),
  });
}

async function submit(browser: PortalBrowser, page: string, action: string, fields: Record<string, string>): Promise<Response> {
  return browser.post(action, { csrf: csrfIn(await (await browser.get(page)).text()), ...fields });
}

/** The admin entries that match, once `count` of them are written (the audit log writes in batches). */
async function auditOf(where: string, value: string, count: number) {
  const read = () => portcullis.db('audit_log').where({ kind: 'admin' }).whereRaw(`(${where})`, where.split('?').slice(1).map(() => value)).orderBy('seq');
  await eventually(async () => (await read()).length >= count, { withinMs: 5_000, what: `${count} audit entries` });
  return read();
}
const idIn = (location: string | null) => /\/console\/apis\/([^/?]+)/.exec(location ?? '')![1]!;

const DOCUMENT = (basePath: string) => `openapi: 3.0.3
info:
  title: Clinics ${suffix}
  version: v9
servers:
  - url: https://api.bank.example${basePath}
paths:
  /clinics:
    get: { responses: { '200': { description: OK } } }
    post: { responses: { '201': { description: Created } } }
  /clinics/{clinicId}:
    get: { responses: { '200': { description: OK } } }
`;

test('an imported OpenAPI document becomes a draft; published, then deprecated with a sunset and successor, its calls carry Deprecation, Sunset and Link; its callers are listed; all audited', async () => {
  const basePath = `/clinics-${suffix}/v9`;
  const csrf = csrfIn(await (await console_.get('/console/apis/new')).text());
  const imported = await postMultipart(console_, '/console/apis', { csrf, name: '', version: '', basePath: '', authKind: 'none', upstreams: upstream.url, routes: '', openapi: '' }, { name: 'clinics.yaml', text: DOCUMENT(basePath) });
  assert.equal(imported.status, 303);
  const oldId = idIn(imported.headers.get('location'));
  assert.equal(imported.headers.get('location'), `/console/apis/${oldId}?created`);
  const stored = await portcullis.db('gateway_apis').where({ id: oldId }).first();
  assert.deepEqual([stored.name, stored.version, stored.base_path, stored.lifecycle, stored.openapi.info.version], [`clinics-${suffix}`, 'v9', basePath, 'draft', 'v9']);
  assert.deepEqual((await portcullis.db('gateway_routes').where({ api_id: oldId }).orderBy(['path_template', 'method'])).map((route) => `${route.method} ${route.path_template}`), ['GET /clinics', 'POST /clinics', 'GET /clinics/{clinicId}']);

  const successor = await submit(console_, '/console/apis/new', '/console/apis', {
    name: `clinics-${suffix}`, version: 'v10', basePath: `/clinics-${suffix}/v10`, authKind: 'none', upstreams: `${upstream.url} 90\n${upstream.url}/canary 10`, routes: 'get /clinics\nGET /clinics/{clinicId}', openapi: '',
  });
  const newId = idIn(successor.headers.get('location'));
  for (const id of [oldId, newId]) assert.equal((await submit(console_, `/console/apis/${id}`, `/console/apis/${id}/lifecycle`, { to: 'published' })).headers.get('location'), `/console/apis/${id}?published`);
  const call = () => tlsFetch(portcullis.caPem)(`${portcullis.urls.public}${basePath}/clinics`);
  await eventually(async () => (await call()).status === 200, { withinMs: 2_000, what: 'the published API routed' });

  const deprecation = await console_.get(`/console/apis/${oldId}/deprecate`);
  assert.match(await deprecation.text(), new RegExp(`<option value="${newId}">clinics-${suffix} v10`));
  const deprecated = await submit(console_, `/console/apis/${oldId}/deprecate`, `/console/apis/${oldId}/lifecycle`, { to: 'deprecated', sunsetDate: '2099-06-30', successorApiId: newId });
  assert.equal(deprecated.headers.get('location'), `/console/apis/${oldId}?deprecated`);
  await eventually(async () => (await call()).headers.get('sunset') === 'Tue, 30 Jun 2099 00:00:00 GMT', { withinMs: 1_000, what: 'Sunset on the deprecated API\'s answers' });
  const answer = await call();
  assert.match(answer.headers.get('deprecation')!, /^@\d{10}$/);
  assert.equal(answer.headers.get('link'), `<${portcullis.config.gatewayBaseUrl}/clinics-${suffix}/v10>; rel="successor-version"`);

  const context = { db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'partner' as const };
  const organisation = await createOrganisation(context, { name: `Caller ${suffix} Ltd` });
  const application = await createApplication(context, { organisationId: organisation.id, name: `Still calling ${suffix}` });
  const owner = await insertVerifiedDeveloper(portcullis.db);
  await portcullis.db('organisation_members').insert({ organisation_id: organisation.id, developer_id: owner.id, role: 'owner', created_at: new Date() });
  const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000);
  const histogram = {};
  await addRollups(portcullis.db, [{
    minute, api_id: oldId, route_id: '', application_id: application.id, plan_id: '', status: 200, api_name: `clinics-${suffix}`, api_version: 'v9', route_method: null, route_template: null,
    count: 42, request_bytes: 0, response_bytes: 0, total_ms: histogram, upstream_ms: histogram, gateway_ms: histogram,
  }]);
  const page = await (await console_.get(`/console/apis/${oldId}?deprecated`)).text();
  assert.match(page, /Deprecated: sunset <time datetime="2099-06-30T00:00:00.000Z">2099-06-30<\/time>/);
  assert.match(page, new RegExp(`<th scope="row" data-label="Application">${application.name}</th>\\s*<td data-label="Organisation">${organisation.name}</td>\\s*<td data-label="Owners to tell"><ul class="console-owners"><li><a href="mailto:${owner.email}">`));
  assert.match(page, new RegExp(`<td data-label="Calls" class="number">42</td>\\s*<td data-label="Last call"><time datetime="${minute.toISOString()}">`));
  const list = await (await console_.get('/console/apis')).text();
  const row = new RegExp(`<h2 id="api-clinics-${suffix}">clinics-${suffix}</h2>[\\s\\S]*?v9[\\s\\S]*?Deprecated: sunset[\\s\\S]*?class="number">(\\d+)</td>[\\s\\S]*?v10`).exec(list);
  assert.ok(Number(row?.[1]) >= 42, 'the rollups\' calls, and the gateway\'s own once flushed');

  const created = await auditOf("action = 'POST /admin/v1/apis' and payload->'after'->>'id' = ?", oldId, 1);
  assert.deepEqual(created.map((row) => [row.action, row.actor, row.status, row.payload.request.routes.length]), [['POST /admin/v1/apis', `operator:${operator.id}`, 303, 3]]);
  const moves = await auditOf("payload->'params'->>'apiId' = ?", oldId, 2);
  assert.deepEqual(moves.map((row) => [row.action, row.status, row.payload.request.to, row.payload.before.lifecycle, row.payload.after.lifecycle]), [
    ['POST /admin/v1/apis/{apiId}/lifecycle', 303, 'published', 'draft', 'published'],
    ['POST /admin/v1/apis/{apiId}/lifecycle', 303, 'deprecated', 'published', 'deprecated'],
  ]);
  assert.deepEqual(moves[1].payload.request, { to: 'deprecated', sunsetAt: '2099-06-30T00:00:00Z', successorApiId: newId });
});

test('an API\'s mistakes come back beside their fields (400) or as clashes (409), refused changes are audited, a draft is edited and deleted', async () => {
  const basePath = `/mistakes-${suffix}/v1`;
  const fields = { name: `mistakes-${suffix}`, version: 'v1', basePath, authKind: 'api-key', upstreams: upstream.url, routes: 'GET /things', openapi: '' };
  const refused = async (change: Record<string, string>, status: number, pattern: RegExp) => {
    const answer = await submit(console_, '/console/apis/new', '/console/apis', { ...fields, ...change });
    const html = await answer.text();
    assert.equal(answer.status, status, html);
    assert.match(html, pattern);
  };
  await refused({ name: '', upstreams: 'ftp://files.example 10 extra' }, 400, /<a href="#name">Enter the API&#39;s name<\/a>[\s\S]*<a href="#upstreams">Upstream line 1: write a URL/);
  await refused({ upstreams: 'ftp://files.example' }, 400, /<a href="#upstreams">Upstream 1: must be an http or https URL<\/a>/);
  await refused({ routes: 'GET /things/{thingId' }, 400, /<a href="#routes">Route GET \/things\/\{thingId: must be &#34;\/&#34; or \/segment/);
  await refused({ routes: '', openapi: 'openapi: 3.0.3\npaths: {\n' }, 400, /<a href="#openapi">The OpenAPI document cannot be read \(line \d+, column \d+\)/);
  await refused({ openapi: '{"swagger": "2.0"}' }, 400, /The OpenAPI document must be an OpenAPI 3.x document/);

  const created = await submit(console_, '/console/apis/new', '/console/apis', fields);
  const id = idIn(created.headers.get('location'));
  await refused({ version: 'v2' }, 409, /<a href="#basePath">It clashes with another API: another API has this base path<\/a>/);
  assert.equal((await submit(console_, `/console/apis/${id}`, `/console/apis/${id}/lifecycle`, { to: 'retired' })).status, 409, 'a draft is not retired');
  const edited = await postMultipart(console_, `/console/apis/${id}`, { csrf: csrfIn(await (await console_.get(`/console/apis/${id}/edit`)).text()), ...fields, upstreams: `${upstream.url} 70\n${upstream.url}/b 30`, routes: 'GET /things\nDELETE /things/{thingId}' });
  assert.equal(edited.headers.get('location'), `/console/apis/${id}?saved`);
  const audited = await auditOf("payload->'params'->>'apiId' = ?", id, 2);
  assert.deepEqual(audited.map((row) => [row.action, row.status]), [['POST /admin/v1/apis/{apiId}/lifecycle', 409], ['PUT /admin/v1/apis/{apiId}', 303]]);
  assert.deepEqual([audited[1].payload.before.upstreams.length, audited[1].payload.after.upstreams.length, audited[1].payload.after.routes.length], [1, 2, 2]);
  const refusals = await portcullis.db('audit_log').where({ kind: 'admin', actor: `operator:${operator.id}`, action: 'POST /admin/v1/apis' }).whereIn('status', [400, 409]).orderBy('seq');
  assert.deepEqual(refusals.map((row) => row.status), [400, 400, 400, 400, 400, 409]);
  assert.equal(refusals[0].payload.request, null, 'a form that could not be read sent no body');

  assert.equal((await submit(console_, `/console/apis/${id}`, `/console/apis/${id}/lifecycle`, { to: 'deprecated', sunsetDate: '2001-01-01' })).status, 409, 'a draft cannot be deprecated');
  assert.equal((await submit(console_, `/console/apis/${id}`, `/console/apis/${id}/delete`, {})).headers.get('location'), '/console/apis?deleted');
  assert.equal(await portcullis.db('gateway_apis').where({ id }).first(), undefined);
  assert.equal((await console_.get(`/console/apis/${id}`)).status, 404);
});

test('a deprecation\'s sunset must lie ahead, and a published API is not deleted', async () => {
  const created = await submit(console_, '/console/apis/new', '/console/apis', { name: `sunset-${suffix}`, version: 'v1', basePath: `/sunset-${suffix}/v1`, authKind: 'none', upstreams: upstream.url, routes: '', openapi: '' });
  const id = idIn(created.headers.get('location'));
  await submit(console_, `/console/apis/${id}`, `/console/apis/${id}/lifecycle`, { to: 'published' });
  const past = await submit(console_, `/console/apis/${id}/deprecate`, `/console/apis/${id}/lifecycle`, { to: 'deprecated', sunsetDate: '2001-01-01' });
  assert.equal(past.status, 400);
  assert.match(await past.text(), /<a href="#sunsetDate">The sunset date must be in the future<\/a>/);
  const missing = await submit(console_, `/console/apis/${id}/deprecate`, `/console/apis/${id}/lifecycle`, { to: 'deprecated', sunsetDate: '' });
  assert.match(await missing.text(), /Enter the date the API stops answering/);
  const deleted = await submit(console_, `/console/apis/${id}`, `/console/apis/${id}/delete`, {});
  assert.equal(deleted.status, 409);
  assert.match(await deleted.text(), /Only a draft or a retired API can be deleted/);
});

test('plans: created with their APIs, listed with limits, price and subscribers, edited, deleted only when nobody subscribes (409), all audited', async () => {
  const api = await submit(console_, '/console/apis/new', '/console/apis', { name: `planned-${suffix}`, version: 'v1', basePath: `/planned-${suffix}/v1`, authKind: 'api-key', upstreams: upstream.url, routes: 'GET /x', openapi: '' });
  const apiId = idIn(api.headers.get('location'));
  const name = `gold-${suffix}`;
  const plan = { name, ratePerSecond: '20', ratePerMinute: '', quotaPerDay: '', quotaPerMonth: '1000000', price: '99.5', currency: 'gbp', access: 'approval', [`api-${apiId}`]: 'on' };
  const bad = await submit(console_, '/console/plans/new', '/console/plans', { ...plan, ratePerSecond: 'lots', price: '9.999' });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /<a href="#ratePerSecond">Enter a whole number of calls a second, or leave it empty for no limit<\/a>[\s\S]*<a href="#price">Enter a monthly price like 99.00/);
  const unpriced = await submit(console_, '/console/plans/new', '/console/plans', { ...plan, currency: '' });
  assert.match(await unpriced.text(), /<a href="#currency">The currency a price and its currency come together<\/a>/);

  assert.equal((await submit(console_, '/console/plans/new', '/console/plans', plan)).headers.get('location'), '/console/plans?created');
  const stored = await portcullis.db('gateway_plans').where({ name }).first();
  assert.deepEqual([stored.rate_per_second, Number(stored.quota_per_month), Number(stored.price_minor_units), stored.currency, stored.self_service], [20, 1_000_000, 9950, 'GBP', false]);
  assert.equal((await submit(console_, '/console/plans/new', '/console/plans', plan)).status, 409, 'the name is taken');

  const context = { db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'partner' as const };
  const organisation = await createOrganisation(context, { name: `Subscriber ${suffix}` });
  const application = await createApplication(context, { organisationId: organisation.id, name: `App ${suffix}` });
  const subscription = await subscribe(context, { applicationId: application.id, planId: stored.id });
  const list = await (await console_.get('/console/plans')).text();
  assert.match(list, new RegExp(`${name}<span class="visually-hidden">: edit</span></a></th>\\s*<td data-label="Rate limits">20 a second</td>\\s*<td data-label="Quotas">1,000,000 a month</td>\\s*<td data-label="Price a month">99.50 GBP</td>\\s*<td data-label="Access">Approval required</td>\\s*<td data-label="APIs"><ul class="console-plan-apis"><li><a href="/console/apis/${apiId}">planned-${suffix} v1</a></li></ul></td>\\s*<td data-label="Subscribers" class="number">0 <span class="detail">\\(<a href="/console/plan-requests">1 waiting</a>\\)`));

  const saved = await submit(console_, `/console/plans/${stored.id}`, `/console/plans/${stored.id}`, { ...plan, access: 'self-service', price: '', currency: '' });
  assert.equal(saved.headers.get('location'), '/console/plans?saved');
  const refusedDelete = await submit(console_, `/console/plans/${stored.id}`, `/console/plans/${stored.id}/delete`, {});
  assert.equal(refusedDelete.status, 409);
  assert.match(await refusedDelete.text(), /cannot be deleted while applications subscribe/);
  await portcullis.db('subscriptions').where({ id: subscription.id }).update({ status: 'cancelled' });
  assert.equal((await submit(console_, `/console/plans/${stored.id}`, `/console/plans/${stored.id}/delete`, {})).headers.get('location'), '/console/plans?deleted');

  const audited = await auditOf("(action = 'POST /admin/v1/plans' and payload->'after'->>'id' = ?) or payload->'params'->>'planId' = ?", stored.id, 4);
  assert.deepEqual(audited.map((row) => [row.action, row.actor, row.status]), [
    ['POST /admin/v1/plans', `operator:${operator.id}`, 303],
    ['PUT /admin/v1/plans/{planId}', `operator:${operator.id}`, 303],
    ['DELETE /admin/v1/plans/{planId}', `operator:${operator.id}`, 409],
    ['DELETE /admin/v1/plans/{planId}', `operator:${operator.id}`, 303],
  ]);
  assert.deepEqual([audited[1].payload.before.selfService, audited[1].payload.after.selfService, audited[1].payload.after.priceMinorUnits, audited[3].payload.after], [false, true, null, null]);
});

test('a viewer sees the APIs and plans but is refused their forms and every change (403), and nothing changes', async () => {
  const api = await submit(console_, '/console/apis/new', '/console/apis', { name: `viewed-${suffix}`, version: 'v1', basePath: `/viewed-${suffix}/v1`, authKind: 'none', upstreams: upstream.url, routes: '', openapi: '' });
  const apiId = idIn(api.headers.get('location'));
  const planName = `viewed-${suffix}`;
  await submit(console_, '/console/plans/new', '/console/plans', { name: planName, ratePerSecond: '', ratePerMinute: '', quotaPerDay: '', quotaPerMonth: '', price: '', currency: '', access: 'self-service' });
  const planId = (await portcullis.db('gateway_plans').where({ name: planName }).first()).id;

  for (const path of ['/console/apis', `/console/apis/${apiId}`, '/console/plans']) {
    const page = await viewer.get(path);
    assert.equal(page.status, 200, path);
    assert.doesNotMatch(await page.text(), /\/lifecycle"|\/console\/apis\/new"|\/console\/plans\/new"/, `${path}: no change for a viewer`);
  }
  for (const path of ['/console/apis/new', `/console/apis/${apiId}/edit`, `/console/apis/${apiId}/deprecate`, '/console/plans/new', `/console/plans/${planId}`]) assert.equal((await viewer.get(path)).status, 403, path);
  const csrf = csrfIn(await (await viewer.get('/console/apis')).text());
  const changes: Array<[string, Record<string, string>]> = [
    ['/console/apis', { name: `viewer-${suffix}`, version: 'v1', basePath: `/viewer-${suffix}`, authKind: 'none', upstreams: upstream.url }],
    [`/console/apis/${apiId}`, { name: `viewed-${suffix}`, version: 'v2', basePath: `/viewed-${suffix}/v1`, authKind: 'none', upstreams: upstream.url }],
    [`/console/apis/${apiId}/lifecycle`, { to: 'published' }],
    [`/console/apis/${apiId}/delete`, {}],
    ['/console/plans', { name: `viewer-${suffix}`, access: 'self-service' }],
    [`/console/plans/${planId}`, { name: planName, access: 'approval' }],
    [`/console/plans/${planId}/delete`, {}],
  ];
  for (const [path, fields] of changes) assert.equal((await viewer.post(path, { csrf, ...fields })).status, 403, path);
  assert.deepEqual([(await portcullis.db('gateway_apis').where({ id: apiId }).first()).lifecycle, (await portcullis.db('gateway_plans').where({ id: planId }).first()).self_service], ['draft', true]);
});
