import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import type { Knex } from 'knex';

import { createEventBus } from '../../../src/events/event-bus.ts';
import type { DomainEvent } from '../../../src/events/event-catalogue.ts';
import { changeApiLifecycle } from '../../../src/gateway/catalogue/api-lifecycle.service.ts';
import { CatalogueConflict, CatalogueInvalid, CatalogueNotFound } from '../../../src/gateway/catalogue/catalogue-errors.ts';
import type { CatalogueContext } from '../../../src/gateway/catalogue/catalogue-transaction.ts';
import { createApi, deleteApi, findActiveSubscriptionPlanIds, getApi, listApis, loadCatalogue, updateApi } from '../../../src/gateway/catalogue/catalogue.service.ts';
import type { Lifecycle } from '../../../src/gateway/catalogue/catalogue.types.ts';
import { createPlan, deletePlan, getPlan, updatePlan } from '../../../src/gateway/catalogue/plans.service.ts';
import { approveSubscription, cancelSubscription, refuseSubscription, subscribe } from '../../../src/gateway/catalogue/subscriptions.service.ts';
import { createApplication, createOrganisation } from '../../../src/gateway/consumers/consumers.service.ts';
import { fixedClock } from '../../helpers/fixed-clock.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';

let db: Knex;
let context: CatalogueContext;
const clock = fixedClock('2026-12-04T12:00:00Z');
const announced: DomainEvent[] = [];
before(async () => {
  db = await openTestStore();
  const events = createEventBus({ clock, onListenerError: (error) => assert.fail(error as Error) });
  for (const name of ['api.changed', 'api.lifecycle_changed', 'plan.changed', 'subscription.status_changed'] as const) events.on(name, (event) => void announced.push(event));
  context = { db, events, clock, actor: 'ops' };
});
after(() => db?.destroy());

// Test files share the PostgreSQL database: every name and base path here is this run's own.
const tag = () => randomBytes(5).toString('hex');
const lastPayload = (name: string) => announced.filter((event) => event.name === name).at(-1)?.payload;

function apiInput(extra: Record<string, unknown> = {}) {
  const t = tag();
  return {
    name: `clinics-${t}`,
    version: 'v2',
    basePath: `/t${t}/clinics/v2`,
    authKind: 'api-key',
    upstreams: [{ url: 'https://clinics.internal:8443/api', weight: 90 }, { url: 'http://clinics-canary.internal', weight: 10 }],
    routes: [
      { method: 'GET', pathTemplate: '/clinics/{clinicId}', policy: { scopes: ['clinics:read'], claims: [{ claim: 'org', equalsParam: 'clinicId' }] } },
      { method: 'POST', pathTemplate: '/clinics' },
    ],
    ...extra,
  };
}

async function invalid(promise: Promise<unknown>): Promise<Array<{ path: string; message: string }>> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CatalogueInvalid, `expected CatalogueInvalid, got ${String(error)}`);
    return [...error.issues];
  }
  assert.fail('expected CatalogueInvalid');
}

test(`an API is created in draft with its routes, read back whole and announced (${storeKind})`, async () => {
  const input = apiInput({ settings: { apiKeyHeader: 'X-Clinic-Key', corsOrigins: ['https://app.example'] } });
  const api = await createApi(context, input);
  assert.match(api.id, /^api-/);
  assert.equal(api.lifecycle, 'draft');
  assert.deepEqual(api.upstreams, input.upstreams);
  assert.deepEqual(api.settings, { apiKeyHeader: 'x-clinic-key', corsOrigins: ['https://app.example'] });
  assert.equal(api.openapi, null);
  assert.deepEqual(api.routes.map((route) => [route.method, route.pathTemplate, route.policy]), [
    ['POST', '/clinics', {}],
    ['GET', '/clinics/{clinicId}', { scopes: ['clinics:read'], claims: [{ claim: 'org', equalsParam: 'clinicId' }] }],
  ]);
  assert.ok(api.routes.every((route) => route.apiId === api.id && route.id.startsWith('route-')));
  assert.deepEqual(await getApi(db, api.id), api);
  assert.deepEqual(lastPayload('api.changed'), { apiId: api.id, change: 'created', actor: 'ops' });
});

test('an update replaces the definition and routes; a route keeps its id while its method and template stay', async () => {
  const api = await createApi(context, apiInput());
  const kept = api.routes.find((route) => route.method === 'GET')!;
  const updated = await updateApi(context, api.id, {
    ...apiInput({ name: api.name, basePath: api.basePath }),
    routes: [{ method: 'GET', pathTemplate: '/clinics/{clinicId}', policy: { audit: 'required' } }, { method: 'DELETE', pathTemplate: '/clinics/{clinicId}' }],
  });
  const get = updated.routes.find((route) => route.method === 'GET')!;
  assert.equal(get.id, kept.id);
  assert.deepEqual(get.policy, { audit: 'required' });
  assert.deepEqual(updated.routes.map((route) => route.method).sort(), ['DELETE', 'GET']);
  assert.deepEqual(lastPayload('api.changed'), { apiId: api.id, change: 'updated', actor: 'ops' });
  await assert.rejects(updateApi(context, 'api-nothing', apiInput()), CatalogueNotFound);
});

test('what the tables cannot check is refused field by field, and nothing is written', async () => {
  const names: string[] = [];
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ basePath: '/clinics/' }, 'basePath', /no trailing slash/],
    [{ basePath: '/clinics/{id}' }, 'basePath', /no \{parameters\}/],
    [{ basePath: 'clinics' }, 'basePath', /\/segment/],
    [{ basePath: '/a/../b' }, 'basePath', /"\." or "\.\."/],
    [{ upstreams: [{ url: 'ftp://x.example', weight: 1 }] }, 'upstreams[0].url', /http or https/],
    [{ upstreams: [{ url: 'https://user:pw@x.example', weight: 1 }] }, 'upstreams[0].url', /credentials/],
    [{ upstreams: [{ url: 'https://x.example', weight: 0 }] }, 'upstreams[0].weight', /./],
    [{ upstreams: [{ url: 'https://x.example', weight: 1.5 }] }, 'upstreams[0].weight', /./],
    [{ upstreams: [] }, 'upstreams', /at least one upstream/],
    [{ authKind: 'basic' }, 'authKind', /./],
    [{ colour: 'blue' }, '', /colour/],
    [{ routes: [{ method: 'FETCH', pathTemplate: '/x' }] }, 'routes[0].method', /./],
    [{ routes: [{ method: 'GET', pathTemplate: '/x/' }] }, 'routes[0].pathTemplate', /no trailing slash/],
    [{ routes: [{ method: 'GET', pathTemplate: '/x/{a}b' }] }, 'routes[0].pathTemplate', /whole \{Parameter\}/],
    [{ routes: [{ method: 'GET', pathTemplate: '/x/{a}/{a}' }] }, 'routes[0].pathTemplate', /twice/],
    [{ routes: [{ method: 'GET', pathTemplate: '/x', policy: { scope: ['a'] } }] }, 'routes[0].policy', /scope/],
    [{ routes: [{ method: 'GET', pathTemplate: '/x/{id}', policy: { claims: [{ claim: 'org', equalsParam: 'clinicId' }] } }] }, 'routes[0].policy.claims[0].equalsParam', /parameter of/],
    [{ routes: [{ method: 'GET', pathTemplate: '/x/{a}' }, { method: 'GET', pathTemplate: '/x/{b}' }] }, 'routes[1]', /same requests as routes\[0\]/],
    [{ routes: [{ method: 'POST', pathTemplate: '/x', policy: { aggregate: { parts: [{ name: 'a', method: 'GET', path: '/y' }], onPartFailure: 'fail' } } }] }, 'routes[0].method', /must be GET/],
    [{ routes: [{ method: 'GET', pathTemplate: '/x/{id}', policy: { aggregate: { parts: [{ name: 'a', method: 'GET', path: '/y/{other}' }], onPartFailure: 'fail' } } }] }, 'routes[0].policy.aggregate.parts[0].path', /\{other\} is not a parameter/],
    [{ routes: [{ method: 'GET', pathTemplate: '/x', policy: { aggregate: { parts: [{ name: 'a', method: 'GET', path: '/y' }, { name: 'a', method: 'GET', path: '/z' }], onPartFailure: 'fail' } } }] }, 'routes[0].policy.aggregate.parts[1].name', /twice/],
    [{ routes: [{ method: 'GET', pathTemplate: '/x', policy: { aggregate: { parts: [{ name: '_errors', method: 'GET', path: '/y' }], onPartFailure: 'omit' } } }] }, 'routes[0].policy.aggregate.parts[0].name', /lists the parts left out/],
    [{ authKind: 'fapi', routes: [{ method: 'GET', pathTemplate: '/x', policy: { aggregate: { parts: [{ name: 'a', method: 'GET', path: '/y' }], onPartFailure: 'fail' } } }] }, 'routes[0].policy.aggregate', /public listener/],
    [{ settings: { oauth2: { issuer: 'https://as.example', jwksUri: 'https://as.example/jwks', audience: 'x' } } }, 'settings.oauth2', /only for an oauth2 API/],
    [{ settings: { corsOrigins: ['https://app.example/path'] } }, 'settings.corsOrigins[0]', /origin/],
    [{ openapi: { swagger: '2.0' } }, 'openapi', /OpenAPI 3/],
  ];
  for (const [change, path, message] of cases) {
    const input = apiInput(change);
    names.push(input.name);
    const issues = await invalid(createApi(context, input));
    const issue = issues.find((candidate) => candidate.path === path);
    assert.ok(issue, `${JSON.stringify(change)}: no issue at "${path}" in ${JSON.stringify(issues)}`);
    assert.match(issue.message, message, JSON.stringify(change));
  }
  assert.deepEqual((await loadCatalogue(db)).apis.filter((api) => names.includes(api.name)), []);
});

test('an API of aggregate routes only needs no upstream', async () => {
  const api = await createApi(context, apiInput({
    upstreams: [],
    routes: [{ method: 'GET', pathTemplate: '/summary/{clinicId}', policy: { aggregate: { parts: [{ name: 'clinic', method: 'GET', path: '/clinics/v2/clinics/{clinicId}' }], onPartFailure: 'omit' } } }],
  }));
  assert.deepEqual(api.upstreams, []);
});

test('a taken base path or name and version, or nested base paths, are conflicts', async () => {
  const api = await createApi(context, apiInput());
  await assert.rejects(createApi(context, apiInput({ basePath: api.basePath })), (error: Error) => error instanceof CatalogueConflict && /base path/.test(error.message));
  await assert.rejects(createApi(context, apiInput({ name: api.name })), (error: Error) => error instanceof CatalogueConflict && error.message === 'another API has this name and version');
  await assert.rejects(createApi(context, apiInput({ basePath: `${api.basePath}/more` })), (error: Error) => error instanceof CatalogueConflict && /nests with/.test(error.message));
  await assert.rejects(createApi(context, apiInput({ basePath: api.basePath.split('/').slice(0, 2).join('/') })), (error: Error) => error instanceof CatalogueConflict && /nests with/.test(error.message));
  const other = await createApi(context, apiInput());
  await assert.rejects(updateApi(context, other.id, apiInput({ basePath: api.basePath })), CatalogueConflict);
});

async function apiIn(state: Lifecycle) {
  const api = await createApi(context, apiInput());
  const sunsetAt = new Date(clock.now().getTime() + 86_400_000).toISOString();
  if (state === 'draft') return api;
  await changeApiLifecycle(context, api.id, { to: 'published' });
  if (state === 'published') return api;
  await changeApiLifecycle(context, api.id, { to: 'deprecated', sunsetAt });
  if (state === 'deprecated') return api;
  return changeApiLifecycle(context, api.id, { to: 'retired' });
}

test('every lifecycle move: the legal ones are made and announced, the illegal ones are conflicts', async () => {
  const sunsetAt = new Date(clock.now().getTime() + 30 * 86_400_000);
  const legal: Array<[Lifecycle, Lifecycle]> = [['draft', 'published'], ['published', 'deprecated'], ['deprecated', 'deprecated'], ['deprecated', 'published'], ['deprecated', 'retired']];
  const states: Lifecycle[] = ['draft', 'published', 'deprecated', 'retired'];
  for (const from of states) {
    for (const to of states) {
      const api = await apiIn(from);
      const change = to === 'deprecated' ? { to, sunsetAt: sunsetAt.toISOString() } : { to };
      if (legal.some(([a, b]) => a === from && b === to)) {
        const moved = await changeApiLifecycle(context, api.id, change);
        assert.equal(moved.lifecycle, to, `${from} → ${to}`);
        assert.deepEqual(lastPayload('api.lifecycle_changed'), { apiId: api.id, from, to, actor: 'ops', ...(to === 'deprecated' ? { sunsetAt } : {}) });
      } else {
        await assert.rejects(changeApiLifecycle(context, api.id, change), (error: Error) => error instanceof CatalogueConflict && error.message.endsWith(`is ${from}; it cannot become ${to}`), `${from} → ${to}`);
        assert.equal((await getApi(db, api.id)).lifecycle, from);
      }
    }
  }
});

test('a deprecation names a future sunset and a published successor; un-deprecating clears them, retiring keeps them', async () => {
  const api = await apiIn('published');
  const successor = await apiIn('published');
  const draft = await apiIn('draft');
  const future = new Date(clock.now().getTime() + 60_000).toISOString();
  assert.deepEqual(await invalid(changeApiLifecycle(context, api.id, { to: 'deprecated' })), [{ path: 'sunsetAt', message: 'a deprecation names its sunset (RFC 8594)' }]);
  assert.deepEqual(await invalid(changeApiLifecycle(context, api.id, { to: 'deprecated', sunsetAt: clock.now().toISOString() })), [{ path: 'sunsetAt', message: 'must be in the future' }]);
  assert.equal((await invalid(changeApiLifecycle(context, api.id, { to: 'deprecated', sunsetAt: 'next week' })))[0]!.path, 'sunsetAt');
  assert.equal((await invalid(changeApiLifecycle(context, api.id, { to: 'published', sunsetAt: future })))[0]!.path, 'sunsetAt');
  assert.deepEqual(await invalid(changeApiLifecycle(context, api.id, { to: 'deprecated', sunsetAt: future, successorApiId: api.id })), [{ path: 'successorApiId', message: 'an API cannot succeed itself' }]);
  await assert.rejects(changeApiLifecycle(context, api.id, { to: 'deprecated', sunsetAt: future, successorApiId: 'api-nothing' }), CatalogueNotFound);
  await assert.rejects(changeApiLifecycle(context, api.id, { to: 'deprecated', sunsetAt: future, successorApiId: draft.id }), (error: Error) => error instanceof CatalogueConflict && /must be published/.test(error.message));
  await assert.rejects(changeApiLifecycle(context, 'api-nothing', { to: 'published' }), CatalogueNotFound);

  const deprecated = await changeApiLifecycle(context, api.id, { to: 'deprecated', sunsetAt: future, successorApiId: successor.id });
  assert.deepEqual([deprecated.lifecycle, deprecated.sunsetAt, deprecated.successorApiId], ['deprecated', new Date(future), successor.id]);
  const restored = await changeApiLifecycle(context, api.id, { to: 'published' });
  assert.deepEqual([restored.sunsetAt, restored.successorApiId], [null, null]);
  await changeApiLifecycle(context, api.id, { to: 'deprecated', sunsetAt: future, successorApiId: successor.id });
  const retired = await changeApiLifecycle(context, api.id, { to: 'retired' });
  assert.deepEqual([retired.lifecycle, retired.sunsetAt, retired.successorApiId], ['retired', new Date(future), successor.id]);
});

test('only draft and retired APIs are deleted; deletion is announced', async () => {
  for (const state of ['published', 'deprecated'] as const) {
    const api = await apiIn(state);
    await assert.rejects(deleteApi(context, api.id), (error: Error) => error instanceof CatalogueConflict && error.message.includes(`is ${state}: deprecate and retire it`));
  }
  for (const state of ['draft', 'retired'] as const) {
    const api = await apiIn(state);
    await deleteApi(context, api.id);
    await assert.rejects(getApi(db, api.id), CatalogueNotFound);
    assert.deepEqual(lastPayload('api.changed'), { apiId: api.id, change: 'deleted', actor: 'ops' });
  }
  await assert.rejects(deleteApi(context, 'api-nothing'), CatalogueNotFound);
});

test('plans: created with their APIs, replaced, refused when malformed or naming unknown APIs, deleted', async () => {
  const api = await createApi(context, apiInput());
  const name = `free-${tag()}`;
  const plan = await createPlan(context, { name, ratePerMinute: 60, quotaPerDay: 10_000_000_000, selfService: true, apiIds: [api.id] });
  assert.deepEqual({ ...plan, id: undefined }, { id: undefined, name, ratePerSecond: null, ratePerMinute: 60, quotaPerDay: 10_000_000_000, quotaPerMonth: null, selfService: true, priceMinorUnits: null, currency: null, apiIds: [api.id] });
  assert.deepEqual(lastPayload('plan.changed'), { planId: plan.id, change: 'created', actor: 'ops' });
  const updated = await updatePlan(context, plan.id, { name, ratePerMinute: 100, priceMinorUnits: 999, currency: 'GBP' });
  assert.deepEqual([updated.ratePerMinute, updated.quotaPerDay, updated.priceMinorUnits, updated.currency, updated.apiIds], [100, null, 999, 'GBP', []]);

  assert.deepEqual((await invalid(createPlan(context, { name: `x-${tag()}`, ratePerMinute: 0 }))).map((issue) => issue.path), ['ratePerMinute']);
  assert.deepEqual(await invalid(createPlan(context, { name: `x-${tag()}`, priceMinorUnits: 5 })), [{ path: 'currency', message: 'a price and its currency come together' }]);
  assert.deepEqual((await invalid(createPlan(context, { name: 'has space' }))).map((issue) => issue.path), ['name']);
  await assert.rejects(createPlan(context, { name: `x-${tag()}`, apiIds: ['api-nothing'] }), (error: Error) => error instanceof CatalogueNotFound && error.message === 'no API api-nothing (apiIds)');
  await assert.rejects(createPlan(context, { name }), (error: Error) => error instanceof CatalogueConflict && error.message === 'another plan has this name');
  await assert.rejects(updatePlan(context, 'plan-nothing', { name: `x-${tag()}` }), CatalogueNotFound);

  await deletePlan(context, plan.id);
  await assert.rejects(getPlan(db, plan.id), CatalogueNotFound);
  assert.deepEqual(lastPayload('plan.changed'), { planId: plan.id, change: 'deleted', actor: 'ops' });
});

test('subscriptions: self-service is active at once, others wait for approval; refusal, cancellation, starting over', async () => {
  const organisation = await createOrganisation(context, { name: 'Acme' });
  const app = await createApplication(context, { organisationId: organisation.id, name: 'App' });
  const free = await createPlan(context, { name: `free-${tag()}`, selfService: true });
  const gold = await createPlan(context, { name: `gold-${tag()}` });

  const active = await subscribe(context, { applicationId: app.id, planId: free.id });
  assert.equal(active.status, 'active');
  assert.deepEqual(lastPayload('subscription.status_changed'), { subscriptionId: active.id, applicationId: app.id, planId: free.id, status: 'active', actor: 'ops' });
  await assert.rejects(subscribe(context, { applicationId: app.id, planId: free.id }), (error: Error) => error instanceof CatalogueConflict && /is active already/.test(error.message));
  const requested = await subscribe(context, { applicationId: app.id, planId: gold.id });
  assert.equal(requested.status, 'requested');
  assert.deepEqual(await findActiveSubscriptionPlanIds(db, app.id), [free.id]);

  await assert.rejects(cancelSubscription(context, 'sub-nothing'), CatalogueNotFound);
  assert.equal((await refuseSubscription(context, requested.id)).status, 'refused');
  await assert.rejects(approveSubscription(context, requested.id), (error: Error) => error instanceof CatalogueConflict && error.message === 'the subscription is refused; it cannot become active');
  assert.equal((await subscribe(context, { applicationId: app.id, planId: gold.id })).id, requested.id, 'a refused subscription starts over');
  assert.equal((await approveSubscription(context, requested.id)).status, 'active');
  assert.deepEqual((await findActiveSubscriptionPlanIds(db, app.id)).sort(), [free.id, gold.id].sort());
  await assert.rejects(refuseSubscription(context, requested.id), CatalogueConflict);
  await assert.rejects(deletePlan(context, gold.id), (error: Error) => error instanceof CatalogueConflict && /1 requested or active/.test(error.message));
  assert.equal((await cancelSubscription(context, requested.id)).status, 'cancelled');
  await assert.rejects(cancelSubscription(context, requested.id), CatalogueConflict);
  assert.deepEqual(await findActiveSubscriptionPlanIds(db, app.id), [free.id]);
  await deletePlan(context, gold.id);

  await assert.rejects(subscribe(context, { applicationId: 'app-nothing', planId: free.id }), CatalogueNotFound);
  await assert.rejects(subscribe(context, { applicationId: app.id, planId: 'plan-nothing' }), CatalogueNotFound);
  assert.deepEqual((await invalid(subscribe(context, { applicationId: app.id }))).map((issue) => issue.path), ['planId']);
});

test('loadCatalogue reads every API with its routes and every plan with its APIs; listApis pages by id', async () => {
  const apis = [await createApi(context, apiInput()), await createApi(context, apiInput())];
  const plan = await createPlan(context, { name: `tier-${tag()}`, apiIds: apis.map((api) => api.id) });
  const snapshot = await loadCatalogue(db);
  for (const api of apis) assert.deepEqual(snapshot.apis.find((candidate) => candidate.id === api.id), api);
  assert.deepEqual(snapshot.plans.find((candidate) => candidate.id === plan.id)?.apiIds, apis.map((api) => api.id).sort());

  const seen: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listApis(db, { limit: 2, after });
    assert.ok(page.items.length <= 2);
    seen.push(...page.items.map((api) => api.id));
    if (page.next === null) break;
    after = page.next;
  }
  assert.deepEqual(seen, [...seen].sort());
  assert.equal(new Set(seen).size, seen.length);
  for (const api of apis) assert.ok(seen.includes(api.id));
});
