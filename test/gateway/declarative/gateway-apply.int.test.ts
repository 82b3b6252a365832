import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, test } from 'node:test';

import { createEventBus } from '../../../src/events/event-bus.ts';
import type { DomainEvent } from '../../../src/events/event-catalogue.ts';
import { changeApiLifecycle } from '../../../src/gateway/catalogue/api-lifecycle.service.ts';
import { CatalogueConflict } from '../../../src/gateway/catalogue/catalogue-errors.ts';
import type { CatalogueContext } from '../../../src/gateway/catalogue/catalogue-transaction.ts';
import { createApi, loadCatalogue } from '../../../src/gateway/catalogue/catalogue.service.ts';
import { applyGatewayChanges, GatewayApplyFailed } from '../../../src/gateway/declarative/apply-gateway-changes.ts';
import { exportGatewayFile } from '../../../src/gateway/declarative/export-gateway-file.ts';
import { formatGatewayChanges } from '../../../src/gateway/declarative/format-gateway-changes.ts';
import { planGatewayChanges } from '../../../src/gateway/declarative/plan-gateway-changes.ts';
import { GatewayFileInvalid, readGatewayFile } from '../../../src/gateway/declarative/read-gateway-file.ts';
import { fixedClock } from '../../helpers/fixed-clock.ts';
import { openIsolatedStore, type IsolatedStore } from '../../helpers/isolated-store.ts';
import { storeKind } from '../../helpers/store.ts';

// Applying deletes what a file does not list: this file's store is its own.
let store: IsolatedStore;
let context: CatalogueContext;
const announced: DomainEvent[] = [];
before(async () => {
  store = await openIsolatedStore();
  const clock = fixedClock('2026-12-04T12:00:00Z');
  const events = createEventBus({ clock, onListenerError: (error) => assert.fail(error as Error) });
  for (const name of ['api.changed', 'api.lifecycle_changed', 'plan.changed'] as const) events.on(name, (event) => void announced.push(event));
  context = { db: store.db, events, clock, actor: 'ops' };
});
after(() => store?.close());
beforeEach(async () => {
  await store.db('subscriptions').delete();
  await store.db('gateway_plans').delete();
  await store.db('gateway_apis').update({ successor_api_id: null });
  await store.db('gateway_apis').delete();
  announced.length = 0;
});

const EXAMPLE = readFileSync(new URL('../../../docs/examples/gateway.yaml', import.meta.url), 'utf8');
const example = () => readGatewayFile(EXAMPLE, 'gateway.yaml');
const apply = (text: string, options = { delete: true }) => applyGatewayChanges(context, readGatewayFile(text, 'test.yaml'), options);

test(`the example file applies as a diff, and a second apply changes nothing (${storeKind})`, async () => {
  const changes = await applyGatewayChanges(context, example(), { delete: true });
  assert.deepEqual(formatGatewayChanges(changes), [
    '+ api clinics v1',
    '+ route clinics v1 GET /clinics/{clinicId}',
    '+ api clinics v2',
    '+ route clinics v2 GET /clinics/{clinicId}',
    '+ route clinics v2 POST /clinics/{clinicId}/appointments',
    '+ route clinics v2 GET /clinics/{clinicId}/summary',
    '~ api clinics v1: lifecycle draft → published → deprecated (sunset 2027-06-30T00:00:00.000Z, successor clinics v2)',
    '~ api clinics v2: lifecycle draft → published',
    '+ plan free',
    '+ plan business',
  ]);
  const catalogue = await loadCatalogue(store.db);
  const [v1, v2] = catalogue.apis;
  assert.deepEqual([v1!.lifecycle, v1!.successorApiId, v2!.lifecycle], ['deprecated', v2!.id, 'published']);
  assert.deepEqual(catalogue.plans.find((plan) => plan.name === 'business')!.apiIds.sort(), [v1!.id, v2!.id].sort());
  assert.ok(announced.some((event) => event.name === 'api.lifecycle_changed'), 'events after the commit');

  assert.deepEqual(await applyGatewayChanges(context, example(), { delete: true }), []);
  assert.deepEqual(await loadCatalogue(store.db), catalogue);
});

test('a changed file shows and applies field, route and plan changes; what it drops is deleted unless --no-delete', async () => {
  await applyGatewayChanges(context, example(), { delete: true });
  const changed = EXAMPLE
    .replace('ratePerMinute: 60', 'ratePerMinute: 100')
    .replace('weight: 90 }', 'weight: 80 }')
    .replace("      - method: GET\n        pathTemplate: /clinics/{clinicId}\n    routes:", '    routes:')
    .replace(/  - name: business[\s\S]*$/, '')
    .replace('audit: required', 'audit: "on"');
  const current = await loadCatalogue(store.db);
  const lines = formatGatewayChanges(planGatewayChanges(current, readGatewayFile(changed, 'changed.yaml'), { delete: true }));
  assert.deepEqual(lines, [
    '~ api clinics v2: upstreams [{"url":"https://clinics.internal:8443","weight":90},{"url":"https://clinics-canary.internal:8443","weight":10}] → [{"url":"https://clinics.internal:8443","weight":80},{"url":"https://clinics-canary.internal:8443","weight":10}]',
    '~ route clinics v2 POST /clinics/{clinicId}/appointments: policy {"audit":"required","captureBodies":{"redact":["patientName"]},"limits":{"perSecond":5},"scopes":["appointments:write"]} → {"audit":"on","captureBodies":{"redact":["patientName"]},"limits":{"perSecond":5},"scopes":["appointments:write"]}',
    '~ plan free: ratePerMinute 60 → 100',
    '- plan business',
  ]);
  assert.deepEqual(formatGatewayChanges(planGatewayChanges(current, readGatewayFile(changed, 'changed.yaml'), { delete: false })), lines.slice(0, 3));
  await apply(changed);
  assert.deepEqual(await apply(changed), []);
  assert.deepEqual((await loadCatalogue(store.db)).plans.map((plan) => [plan.name, plan.ratePerMinute]), [['free', 100]]);

  const withoutV2Route = changed.replace(/      - method: GET\n        pathTemplate: \/clinics\/\{clinicId\}\/summary[\s\S]*?doctors" \}\n/, '');
  assert.deepEqual(formatGatewayChanges(await apply(withoutV2Route)), ['- route clinics v2 GET /clinics/{clinicId}/summary']);
});

test('routed APIs are not deleted by omission: retire them first, or apply with --no-delete', async () => {
  await applyGatewayChanges(context, example(), { delete: true });
  const onlyV1 = 'apis: []\n';
  await assert.rejects(apply(onlyV1), (error: Error) => error instanceof CatalogueConflict && error.message === 'API clinics v1 is deprecated and not in the file: retire it first (lifecycle: retired), or apply with --no-delete');
  assert.deepEqual(await apply(onlyV1, { delete: false }), []);
  const retired = EXAMPLE.replace('lifecycle: deprecated', 'lifecycle: retired');
  assert.deepEqual(formatGatewayChanges(await apply(retired)), ['~ api clinics v1: lifecycle deprecated → retired']);
  const withoutV1 = retired.replace(/  - name: clinics\n    version: v1[\s\S]*?weight: 100 \}\n    routes:\n      - method: GET\n        pathTemplate: \/clinics\/\{clinicId\}\n/, '').replace('[{ name: clinics, version: v1 }, ', '[');
  assert.deepEqual(formatGatewayChanges(await apply(withoutV1)), ['~ plan business: apis ["clinics v1","clinics v2"] → ["clinics v2"]', '- api clinics v1', '- route clinics v1 GET /clinics/{clinicId}']);
});

test('export writes the catalogue as a file that, applied back, changes nothing', async () => {
  await applyGatewayChanges(context, example(), { delete: true });
  const api = await createApi(context, { name: 'extra', version: '1.0', basePath: '/extra', authKind: 'none', upstreams: [{ url: 'http://extra.internal', weight: 1 }], openapi: { openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: {} }, routes: [{ method: 'OPTIONS', pathTemplate: '/' }] });
  await changeApiLifecycle(context, api.id, { to: 'published' });
  const before = await loadCatalogue(store.db);
  const exported = exportGatewayFile(before);
  assert.ok(!/\bid:|\b(?:api|plan|route)-[0-9a-f]{8}-/.test(exported), 'no generated ids in the file');
  assert.ok(!/[&*]\w/.test(exported), 'no YAML anchors or aliases');
  assert.deepEqual(planGatewayChanges(before, readGatewayFile(exported, 'export.yaml'), { delete: true }), []);
  assert.deepEqual(await apply(exported), []);
  assert.deepEqual(await loadCatalogue(store.db), before);
});

test('bad YAML and bad content are refused with the line or field path, and nothing is applied', async () => {
  const cases: Array<[string, RegExp]> = [
    ['apis: [\n  { name: x', /line \d+, column \d+/],
    ['apis: []\napis: []\n', /line 2, column 1: Map keys must be unique/],
    ['api: []\n', /\(top level\): Unrecognized key: "api"/],
    [EXAMPLE.replace('method: POST', 'method: FETCH'), /apis\[1\]\.routes\[1\]\.method: /],
    [EXAMPLE.replace('weight: 10 }', 'weight: 0 }'), /apis\[1\]\.upstreams\[1\]\.weight: /],
    [EXAMPLE.replace('    sunsetAt: 2027-06-30T00:00:00Z\n', ''), /apis\[0\]\.sunsetAt: a deprecated API names its sunset/],
    [EXAMPLE.replace('ratePerMinute: 60', 'ratePerMinute: -1'), /plans\[0\]\.ratePerMinute: /],
    [`${EXAMPLE}  - name: free\n`, /plans\[2\]\.name: plan free is listed twice/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => readGatewayFile(text, 'bad.yaml'), (error: Error) => error instanceof GatewayFileInvalid && error.message.startsWith('bad.yaml is not a valid gateway file:\n') && message.test(error.message), text.slice(0, 60));
  }
  await assert.rejects(apply(EXAMPLE.replace('apis: [{ name: clinics, version: v2 }]', 'apis: [{ name: clinics, version: v9 }]')), (error: Error) => error instanceof CatalogueConflict && error.message === 'plan free names API clinics v9, which is not in the file');
  assert.deepEqual(await loadCatalogue(store.db), { apis: [], plans: [] });
});

test('one entity failing in the database rolls the whole file back', async () => {
  // Both parse; the second API's base path nests in the first's, which only the store can tell.
  const clash = `${EXAMPLE.replace(/plans:[\s\S]*$/, '')}  - name: nested\n    version: v1\n    basePath: /clinics/v2/nested\n    authKind: none\n    upstreams: [{ url: http://n.internal, weight: 1 }]\n`;
  await assert.rejects(apply(clash), (error: Error) => error instanceof GatewayApplyFailed && error.message === 'api nested v1: base path /clinics/v2/nested nests with /clinics/v2 (API ' + error.message.split('(API ')[1]);
  assert.deepEqual(await loadCatalogue(store.db), { apis: [], plans: [] });
  assert.deepEqual(announced, [], 'nothing announced for a rolled-back file');
  const pastSunset = EXAMPLE.replace('2027-06-30T00:00:00Z', '2020-01-01T00:00:00Z');
  await assert.rejects(apply(pastSunset), (error: Error) => error instanceof GatewayApplyFailed && error.message === 'api clinics v1: lifecycle → deprecated: sunsetAt: must be in the future');
  assert.deepEqual(await loadCatalogue(store.db), { apis: [], plans: [] });
});
