import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { GatewayApi, GatewayRoute } from '../../../src/gateway/catalogue/catalogue.types.ts';
import { compilePathTemplate, fillPathTemplate } from '../../../src/gateway/routing/path-template.ts';
import { buildRouteTable } from '../../../src/gateway/routing/route-table.ts';

const route = (apiId: string, method: GatewayRoute['method'], pathTemplate: string): GatewayRoute => ({ id: `${apiId} ${method} ${pathTemplate}`, apiId, method, pathTemplate, policy: {} });

function api(id: string, basePath: string, routes: Array<[GatewayRoute['method'], string]>, lifecycle: GatewayApi['lifecycle'] = 'published'): GatewayApi {
  return {
    id, name: id, version: 'v1', basePath, authKind: 'none', lifecycle, upstreams: [{ url: 'http://upstream.test', weight: 1 }], openapi: null,
    sunsetAt: null, deprecatedAt: null, successorApiId: null, settings: {}, routes: routes.map(([method, path]) => route(id, method, path)),
  };
}

const table = buildRouteTable({
  apis: [
    api('clinics', '/clinics', [['GET', '/']]),
    api('clinics-v2', '/clinics/v2', [['GET', '/clinics/{clinicId}/patients'], ['POST', '/clinics/{clinicId}/patients'], ['GET', '/clinics/{clinicId}/patients/{patientId}'], ['GET', '/clinics/mine/patients']]),
    api('draft', '/draft', [['GET', '/x']], 'draft'),
  ],
  plans: [{ id: 'free', name: 'free', ratePerSecond: null, ratePerMinute: 60, quotaPerDay: null, quotaPerMonth: null, selfService: true, priceMinorUnits: null, currency: null, apiIds: ['clinics-v2'] }],
});

test('a path template captures whole segments, decoded, and nothing else', () => {
  const template = compilePathTemplate('/accounts/{AccountId}/transactions');
  assert.deepEqual(template.params, ['AccountId']);
  assert.deepEqual(template.match('/accounts/a%2Fb/transactions'), { AccountId: 'a/b' });
  assert.equal(template.match('/accounts//transactions'), undefined, 'an empty segment is no parameter');
  assert.equal(template.match('/accounts/1/transactions/2'), undefined);
  assert.equal(template.match('/accounts/%E0%A4%A/transactions'), undefined, 'a malformed escape matches nothing');
  assert.deepEqual(compilePathTemplate('/').match('/'), {});
  assert.equal(fillPathTemplate('/clinics/{clinicId}/patients', { clinicId: 'a b' }), '/clinics/a%20b/patients');
});

test('the longest base path on a segment boundary wins, and the rest goes upstream', () => {
  const matched = table.match('GET', '/clinics/v2/clinics/c-1/patients/p-9');
  assert.ok('found' in matched);
  assert.equal(matched.found.api.id, 'clinics-v2');
  assert.deepEqual(matched.found.params, { clinicId: 'c-1', patientId: 'p-9' });
  assert.equal(matched.found.upstreamPath, '/clinics/c-1/patients/p-9');
  const root = table.match('GET', '/clinics');
  assert.ok('found' in root && root.found.api.id === 'clinics' && root.found.upstreamPath === '/');
  assert.ok('notFound' in table.match('GET', '/clinicsv2'), 'not on a segment boundary');
});

test('unknown paths and drafts are 404; a known path with another method lists the allowed ones, HEAD with GET', () => {
  assert.ok('notFound' in table.match('GET', '/elsewhere'));
  assert.ok('notFound' in table.match('GET', '/draft/x'));
  const wrong = table.match('DELETE', '/clinics/v2/clinics/c-1/patients');
  assert.ok('methodNotAllowed' in wrong);
  assert.deepEqual(wrong.methodNotAllowed.allow, ['GET', 'HEAD', 'POST']);
  assert.ok('found' in table.match('HEAD', '/clinics/v2/clinics/c-1/patients'));
});

test('where a concrete path and a template both match, the concrete one wins (OpenAPI path matching)', () => {
  const matched = table.match('GET', '/clinics/v2/clinics/mine/patients');
  assert.ok('found' in matched);
  assert.equal(matched.found.route.pathTemplate, '/clinics/mine/patients');
  const other = table.match('GET', '/clinics/v2/clinics/c-7/patients');
  assert.ok('found' in other && other.found.route.pathTemplate === '/clinics/{clinicId}/patients');
});

test('plans are found by the APIs they cover', () => {
  assert.deepEqual(table.plansFor('clinics-v2').map((plan) => plan.id), ['free']);
  assert.deepEqual(table.plansFor('clinics'), []);
});
