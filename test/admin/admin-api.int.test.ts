import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { ADMIN_OPENAPI } from '../../src/admin/admin-api.openapi.ts';
import { authenticateApiKey } from '../../src/gateway/consumers/consumers.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { eventually } from '../helpers/eventually.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

let app: TestPortcullis;
let fetchTls: typeof fetch;
let base: string;
let token: string;
before(async () => {
  app = await startTestPortcullis({ ROLES: 'console' });
  fetchTls = tlsFetch(app.caPem);
  base = `${app.urls.admin}/admin/v1`;
  token = app.secrets.adminToken;
});
after(() => app?.close());

// Every response body is checked against the schema the document gives it.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'admin', components: ADMIN_OPENAPI.components }, 'admin');
function assertMatches(schemaName: string, body: unknown): void {
  const validate = ajv.getSchema(`admin#/components/schemas/${schemaName}`)!;
  assert.ok(validate(body), `${schemaName}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`);
}

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetchTls(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  // JSON answers parsed; a CSV or JSON Lines export kept as its text.
  const json = /^application\/(problem\+)?json\b/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, headers: response.headers, body: text ? (json ? JSON.parse(text) : text) : undefined };
}

function assertProblem(answer: Answer, status: number, slug: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.headers.get('content-type'), 'application/problem+json');
  assert.equal(answer.body.type, `${app.config.issuer}/docs/problems/${slug}`);
  assert.equal(answer.body.status, status);
  assertMatches('Problem', answer.body);
}

const tag = () => randomBytes(5).toString('hex');
const apiBody = (extra: Record<string, unknown> = {}) => {
  const t = tag();
  return {
    name: `clinics-${t}`, version: 'v2', basePath: `/a${t}/clinics/v2`, authKind: 'api-key',
    upstreams: [{ url: 'https://clinics.internal', weight: 100 }],
    routes: [{ method: 'GET', pathTemplate: '/clinics/{clinicId}', policy: { scopes: ['clinics:read'] } }],
    ...extra,
  };
};

test(`no token, a wrong one or another scheme is 401 with WWW-Authenticate: Bearer (${storeKind})`, async () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{}, 'Bearer realm="admin"'],
    [{ authorization: `Bearer ${token}x` }, 'Bearer realm="admin", error="invalid_token"'],
    [{ authorization: 'Bearer short' }, 'Bearer realm="admin", error="invalid_token"'],
    [{ authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` }, 'Bearer realm="admin"'],
    [{ authorization: `Bearer  ${token} trailing` }, 'Bearer realm="admin"'],
  ];
  for (const [headers, challenge] of cases) {
    for (const [method, path] of [['GET', '/apis'], ['POST', '/plans'], ['GET', '/nowhere']]) {
      const response = await fetchTls(`${base}${path}`, { method: method!, headers });
      const body = await response.json() as Record<string, unknown>;
      assert.equal(response.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
      assert.equal(response.headers.get('www-authenticate'), challenge);
      assert.equal(body['type'], `${app.config.issuer}/docs/problems/unauthenticated`);
      assert.equal(response.headers.get('cache-control'), 'no-store');
    }
  }
  assert.equal((await call('GET', '/apis?limit=1')).status, 200, 'the right token, case-insensitive scheme aside');
  assert.equal((await call('GET', '/apis?limit=1', undefined, { authorization: `bearer ${token}` })).status, 200);
});

test('an API: created, read, listed, replaced, moved along its lifecycle, deleted', async () => {
  const created = await call('POST', '/apis', apiBody());
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assertMatches('Api', created.body);
  const id = created.body.id as string;
  assert.equal(created.headers.get('location'), `/admin/v1/apis/${id}`);
  assert.equal(created.headers.get('cache-control'), 'no-store');
  assert.equal(created.body.lifecycle, 'draft');

  const read = await call('GET', `/apis/${id}`);
  assert.deepEqual(read.body, created.body);

  const replaced = await call('PUT', `/apis/${id}`, { ...apiBody({ name: created.body.name, basePath: created.body.basePath }), routes: [{ method: 'POST', pathTemplate: '/clinics' }] });
  assert.equal(replaced.status, 200);
  assertMatches('Api', replaced.body);
  assert.deepEqual(replaced.body.routes.map((route: { method: string }) => route.method), ['POST']);

  const published = await call('POST', `/apis/${id}/lifecycle`, { to: 'published' });
  assert.equal(published.body.lifecycle, 'published');
  const sunsetAt = new Date(Date.now() + 86_400_000).toISOString();
  const deprecated = await call('POST', `/apis/${id}/lifecycle`, { to: 'deprecated', sunsetAt });
  assert.equal(deprecated.status, 200);
  assertMatches('Api', deprecated.body);
  assert.deepEqual([deprecated.body.lifecycle, deprecated.body.sunsetAt], ['deprecated', sunsetAt]);
  assertProblem(await call('DELETE', `/apis/${id}`), 409, 'conflict');
  assert.equal((await call('POST', `/apis/${id}/lifecycle`, { to: 'retired' })).body.lifecycle, 'retired');
  const illegal = await call('POST', `/apis/${id}/lifecycle`, { to: 'published' });
  assertProblem(illegal, 409, 'conflict');
  assert.match(illegal.body.detail, /is retired; it cannot become published$/);

  const deleted = await call('DELETE', `/apis/${id}`);
  assert.equal(deleted.status, 204);
  assertProblem(await call('GET', `/apis/${id}`), 404, 'not-found');
});

test('lists page by limit and cursor; unknown or repeated query parameters are refused', async () => {
  for (let index = 0; index < 3; index += 1) assert.equal((await call('POST', '/plans', { name: `page-${tag()}` })).status, 201);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const answer: Answer = await call('GET', `/plans?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(answer.status, 200);
    assertMatches('PlanPage', answer.body);
    assert.ok(answer.body.items.length <= 2);
    seen.push(...answer.body.items.map((plan: { id: string }) => plan.id));
    cursor = answer.body.nextCursor;
  } while (cursor);
  assert.equal(new Set(seen).size, seen.length);
  assert.ok(seen.length >= 3);

  for (const [query, path] of [['limit=0', 'limit'], ['limit=201', 'limit'], ['limit=ten', 'limit'], ['colour=blue', 'query'], ['limit=1&limit=2', 'limit'], ['cursor=%2F%2F', 'cursor']]) {
    const answer = await call('GET', `/plans?${query}`);
    assertProblem(answer, 400, 'validation-failed');
    assert.equal(answer.body.errors[0].path, path, query);
  }
});

test('malformed bodies are 400 with each field named; not JSON is 400, another type 415, too large 413', async () => {
  const invalid = await call('POST', '/apis', apiBody({ basePath: '/x/', upstreams: [{ url: 'ftp://x', weight: 0 }], extra: true }));
  assertProblem(invalid, 400, 'validation-failed');
  const paths = invalid.body.errors.map((error: { path: string }) => error.path).sort();
  assert.deepEqual(paths, ['', 'basePath', 'upstreams[0].url', 'upstreams[0].weight']);
  assert.ok(invalid.body.errors.every((error: { message: string }) => error.message.length > 0));

  assertProblem(await call('POST', '/apis', '{"name": '), 400, 'bad-request');
  assertProblem(await call('POST', '/apis', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported-media-type');
  const noBody = await fetchTls(`${base}/plans`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  assert.equal(noBody.status, 415);
  const large = await call('POST', '/apis', JSON.stringify({ name: 'x'.repeat(1024 * 1024) }));
  assertProblem(large, 413, 'payload-too-large');
  assertProblem(await call('POST', '/apis/x/lifecycle', { to: 'deprecated' }), 400, 'validation-failed');
  assertProblem(await call('POST', '/organisations', { name: ' ' }), 400, 'validation-failed');
});

test('unknown ids are 404, duplicates 409, unknown paths 404 and wrong methods 405 with Allow', async () => {
  for (const path of ['/apis/api-nothing', '/plans/plan-nothing', '/organisations/org-nothing', '/applications/app-nothing', '/subscriptions/sub-nothing', '/applications/app-nothing/keys']) {
    assertProblem(await call('GET', path), 404, 'not-found');
  }
  assertProblem(await call('PUT', '/apis/api-nothing', apiBody()), 404, 'not-found');
  assertProblem(await call('DELETE', '/plans/plan-nothing'), 404, 'not-found');
  assertProblem(await call('POST', '/keys/key-nothing/revoke'), 404, 'not-found');
  assertProblem(await call('POST', '/keys/key-nothing/rotate', { overlapSeconds: 60 }), 404, 'not-found');
  assertProblem(await call('POST', '/applications', { organisationId: 'org-nothing', name: 'App' }), 404, 'not-found');
  assertProblem(await call('POST', '/plans', { name: `p-${tag()}`, apiIds: ['api-nothing'] }), 404, 'not-found');

  const api = (await call('POST', '/apis', apiBody())).body;
  const duplicate = await call('POST', '/apis', apiBody({ name: api.name }));
  assertProblem(duplicate, 409, 'conflict');
  assert.equal(duplicate.body.detail, 'another API has this name and version');
  assertProblem(await call('POST', '/apis', apiBody({ basePath: api.basePath })), 409, 'conflict');
  const plan = `dup-${tag()}`;
  assert.equal((await call('POST', '/plans', { name: plan })).status, 201);
  assertProblem(await call('POST', '/plans', { name: plan }), 409, 'conflict');
  const organisation = (await call('POST', '/organisations', { name: 'Acme' })).body;
  const clientId = `client-${tag()}`;
  assert.equal((await call('POST', '/applications', { organisationId: organisation.id, name: 'One', clientId })).status, 201);
  assertProblem(await call('POST', '/applications', { organisationId: organisation.id, name: 'Two', clientId }), 409, 'conflict');

  assertProblem(await call('GET', '/nowhere'), 404, 'not-found');
  const wrongMethod = await call('PATCH', `/apis/${api.id}`, {});
  assertProblem(wrongMethod, 405, 'method-not-allowed');
  assert.equal(wrongMethod.headers.get('allow'), 'GET, HEAD, PUT, DELETE');
});

test('organisations, applications (suspended, reactivated) and a key issued, rotated and revoked', async () => {
  const organisation = await call('POST', '/organisations', { name: 'Acme Clinics' });
  assert.equal(organisation.status, 201);
  assertMatches('Organisation', organisation.body);
  const application = await call('POST', '/applications', { organisationId: organisation.body.id, name: 'Appointments' });
  assertMatches('Application', application.body);
  const appId = application.body.id as string;
  const listed = await call('GET', `/applications?organisationId=${organisation.body.id}`);
  assertMatches('ApplicationPage', listed.body);
  assert.deepEqual(listed.body.items.map((item: { id: string }) => item.id), [appId]);

  const issued = await call('POST', `/applications/${appId}/keys`);
  assert.equal(issued.status, 201);
  assertMatches('IssuedApiKey', issued.body);
  assert.equal(issued.headers.get('cache-control'), 'no-store');
  const context = { db: app.db, clock: systemClock };
  assert.ok('authenticated' in (await authenticateApiKey(context, issued.body.key)));
  const keys = await call('GET', `/applications/${appId}/keys`);
  assertMatches('ApiKeyList', keys.body);
  assert.ok(!JSON.stringify(keys.body).includes(issued.body.key.slice(-20)), 'the secret is never read back');

  assertProblem(await call('POST', `/keys/${issued.body.id}/rotate`, { overlapSeconds: -1 }), 400, 'validation-failed');
  const rotated = await call('POST', `/keys/${issued.body.id}/rotate`, { overlapSeconds: 3600 });
  assert.equal(rotated.status, 201);
  assertMatches('RotatedApiKey', rotated.body);
  assert.ok('authenticated' in (await authenticateApiKey(context, issued.body.key)), 'the old key during the overlap');
  assert.ok('authenticated' in (await authenticateApiKey(context, rotated.body.key)));

  const revoked = await call('POST', `/keys/${rotated.body.id}/revoke`);
  assert.equal(revoked.status, 200);
  assertMatches('ApiKey', revoked.body);
  assert.notEqual(revoked.body.revokedAt, null);
  assert.deepEqual(await authenticateApiKey(context, rotated.body.key), { refused: 'unknown' });
  assertProblem(await call('POST', `/keys/${rotated.body.id}/revoke`), 404, 'not-found');

  const suspended = await call('POST', `/applications/${appId}/suspend`);
  assert.equal(suspended.body.status, 'suspended');
  assert.deepEqual(await authenticateApiKey(context, issued.body.key), { refused: 'suspended' });
  assert.equal((await call('POST', `/applications/${appId}/reactivate`)).body.status, 'active');
});

test('subscriptions: requested, approved, cancelled; refused; a decision out of turn is 409', async () => {
  const organisation = (await call('POST', '/organisations', { name: 'Acme' })).body;
  const application = (await call('POST', '/applications', { organisationId: organisation.id, name: 'App' })).body;
  const gold = (await call('POST', '/plans', { name: `gold-${tag()}`, ratePerSecond: 10, priceMinorUnits: 4900, currency: 'GBP' })).body;
  assertMatches('Plan', gold);
  const requested = await call('POST', '/subscriptions', { applicationId: application.id, planId: gold.id });
  assert.equal(requested.status, 201);
  assertMatches('Subscription', requested.body);
  assert.equal(requested.body.status, 'requested');
  assertProblem(await call('POST', '/subscriptions', { applicationId: application.id, planId: gold.id }), 409, 'conflict');
  const approved = await call('POST', `/subscriptions/${requested.body.id}/approve`);
  assert.equal(approved.body.status, 'active');
  assertProblem(await call('POST', `/subscriptions/${requested.body.id}/refuse`), 409, 'conflict');
  assertProblem(await call('DELETE', `/plans/${gold.id}`), 409, 'conflict');
  assert.equal((await call('POST', `/subscriptions/${requested.body.id}/cancel`)).body.status, 'cancelled');
  const listed = await call('GET', `/subscriptions?planId=${gold.id}`);
  assertMatches('SubscriptionPage', listed.body);
  assert.deepEqual(listed.body.items.map((item: { status: string }) => item.status), ['cancelled']);

  assert.equal((await call('POST', '/subscriptions', { applicationId: application.id, planId: gold.id })).body.status, 'requested');
  assert.equal((await call('POST', `/subscriptions/${requested.body.id}/refuse`)).body.status, 'refused');
  assertProblem(await call('POST', '/subscriptions', { applicationId: application.id, planId: 'plan-nothing' }), 404, 'not-found');
  assert.equal((await call('DELETE', `/plans/${gold.id}`)).status, 204);
});

test('the OpenAPI document is served without the token and describes exactly the routes served', async () => {
  const response = await fetchTls(`${base}/openapi.json`);
  assert.equal(response.status, 200);
  const document = await response.json() as typeof ADMIN_OPENAPI;
  assert.deepEqual(document, JSON.parse(JSON.stringify(ADMIN_OPENAPI)));

  // Every described operation is routed (not 404/405) and every other method on a described path is 405.
  const described = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
  for (const operation of described) {
    const [method, path] = operation.split(' ');
    const answer = await call(method!, path!.replace('/admin/v1', '').replace(/\{\w+\}/g, 'unknown-id'), method === 'GET' || method === 'DELETE' ? undefined : {});
    assert.ok(![404, 405].includes(answer.status) || answer.body?.detail?.startsWith('no '), `${operation}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  for (const path of Object.keys(document.paths)) {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) {
      if (described.includes(`${method} ${path}`)) continue;
      const answer = await call(method, path.replace('/admin/v1', '').replace(/\{\w+\}/g, 'unknown-id'), method === 'GET' || method === 'DELETE' ? undefined : {});
      assert.equal(answer.status, 405, `${method} ${path} is not described, so it must not be served`);
    }
  }
});

test('every change is audited: the caller, the route, before and after; a refused one with its status; never a key', async () => {
  const rows = async (action: string, id: string) => (await app.db('audit_log').where({ kind: 'admin', action }).whereRaw('payload::text like ?', [`%${id}%`]).orderBy('seq')) as Array<{ actor: string; status: number; payload: { params: Record<string, string>; request: unknown; before: any; after: any } }>;
  const entriesOf = (action: string, id: string, count: number) => eventually(async () => (await rows(action, id)).length === count, { withinMs: 5_000, what: `${count} audit entries of ${action}` });

  const organisation = (await call('POST', '/organisations', { name: `Audited ${tag()}` })).body;
  await entriesOf('POST /admin/v1/organisations', organisation.id, 1);
  const [created] = await rows('POST /admin/v1/organisations', organisation.id);
  assert.equal(created!.actor, 'admin-token');
  assert.equal(created!.status, 201);
  assert.equal(created!.payload.before, null);
  assert.equal(created!.payload.after.id, organisation.id);

  const application = (await call('POST', '/applications', { organisationId: organisation.id, name: 'Audited app' })).body;
  await call('POST', `/applications/${application.id}/suspend`);
  await entriesOf('POST /admin/v1/applications/{applicationId}/suspend', application.id, 1);
  const [suspended] = await rows('POST /admin/v1/applications/{applicationId}/suspend', application.id);
  assert.equal(suspended!.payload.before.status, 'active');
  assert.equal(suspended!.payload.after.status, 'suspended');

  const issued = (await call('POST', `/applications/${application.id}/keys`)).body;
  const rotated = (await call('POST', `/keys/${issued.id}/rotate`, { overlapSeconds: 60 })).body;
  await call('POST', `/keys/${rotated.id}/revoke`);
  assertProblem(await call('POST', `/keys/${rotated.id}/revoke`), 404, 'not-found');
  await entriesOf('POST /admin/v1/keys/{keyId}/revoke', rotated.id, 2);
  const [revoked, refused] = await rows('POST /admin/v1/keys/{keyId}/revoke', rotated.id);
  assert.equal(revoked!.status, 200);
  assert.equal(revoked!.payload.before.revoked_at, null);
  assert.notEqual(revoked!.payload.after.revoked_at, null);
  assert.equal(refused!.status, 404, 'a refused change is recorded with the status the caller got');
  await entriesOf('POST /admin/v1/keys/{keyId}/rotate', issued.id, 1);
  const [rotation] = await rows('POST /admin/v1/keys/{keyId}/rotate', issued.id);
  assert.equal(rotation!.payload.before.expires_at, null);
  assert.notEqual(rotation!.payload.after.expires_at, null);
  assert.deepEqual(rotation!.payload.request, { overlapSeconds: 60 });

  const audited = JSON.stringify(await app.db('audit_log').where({ kind: 'admin' }));
  for (const key of [issued.key, rotated.key]) assert.equal(audited.includes(key.slice(-20)), false, 'no key in the audit log');
  assert.equal((await app.db('audit_log').where({ kind: 'admin', action: 'GET /admin/v1/applications/{applicationId}' })).length, 0, 'reads are not changes');
});
