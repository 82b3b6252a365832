import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import type { Knex } from 'knex';

import { openTestStore, storeKind } from '../helpers/store.ts';

/*
 * The catalogue's tables refuse what the gateway could never serve, whatever writes them (the
 * admin API, declarative config, a hand-written SQL fix): an unknown authentication kind or
 * lifecycle state, a deprecation without its sunset date, a limit of zero, a subscription status
 * nobody handles.
 */

let db: Knex;
before(async () => {
  db = await openTestStore();
});
after(() => db?.destroy());

const api = (overrides: Record<string, unknown> = {}) => ({
  id: `api-${randomUUID()}`, name: `clinics-${randomUUID()}`, version: 'v1', base_path: `/clinics-${randomUUID()}/v1`, auth_kind: 'api-key',
  upstreams: JSON.stringify([{ url: 'https://clinics.internal', weight: 100 }]), ...overrides,
});

const refused = async (work: Promise<unknown>, constraint: string) => assert.rejects(work, (error: Error) => error.message.includes(constraint));

test(`an API starts as a draft; unknown kinds and states are refused (${storeKind})`, async () => {
  const [row] = await db('gateway_apis').insert(api()).returning(['lifecycle']);
  assert.equal(row.lifecycle, 'draft');
  await refused(db('gateway_apis').insert(api({ auth_kind: 'basic' })), 'gateway_apis_auth_kind_check');
  await refused(db('gateway_apis').insert(api({ lifecycle: 'beta' })), 'gateway_apis_lifecycle_check');
});

test(`a deprecated API names its sunset (RFC 8594) (${storeKind})`, async () => {
  await refused(db('gateway_apis').insert(api({ lifecycle: 'deprecated' })), 'gateway_apis_sunset_check');
  await db('gateway_apis').insert(api({ lifecycle: 'deprecated', sunset_at: new Date('2027-06-30T00:00:00Z') }));
});

test(`two APIs cannot share a base path, nor one route its method and path (${storeKind})`, async () => {
  const first = api();
  await db('gateway_apis').insert(first);
  await refused(db('gateway_apis').insert(api({ base_path: first.base_path })), 'gateway_apis_base_path_unique');
  const route = { api_id: first.id, method: 'GET', path_template: '/clinics/{clinicId}' };
  await db('gateway_routes').insert({ id: `route-${randomUUID()}`, ...route });
  await refused(db('gateway_routes').insert({ id: `route-${randomUUID()}`, ...route }), 'gateway_routes_api_id_method_path_template_unique');
});

test(`plans have no zero limits; subscriptions only known states (${storeKind})`, async () => {
  await refused(db('gateway_plans').insert({ id: `plan-${randomUUID()}`, name: `free-${randomUUID()}`, rate_per_second: 0 }), 'gateway_plans_limits_check');
  const plan = { id: `plan-${randomUUID()}`, name: `free-${randomUUID()}`, rate_per_minute: 60, quota_per_month: 10_000, self_service: true };
  await db('gateway_plans').insert(plan);
  const organisation = { id: `org-${randomUUID()}`, name: 'Acme' };
  await db('organisations').insert(organisation);
  const application = { id: `app-${randomUUID()}`, organisation_id: organisation.id, name: 'App' };
  await db('applications').insert(application);
  await refused(db('subscriptions').insert({ id: `sub-${randomUUID()}`, application_id: application.id, plan_id: plan.id, status: 'trial' }), 'subscriptions_status_check');
  await db('subscriptions').insert({ id: `sub-${randomUUID()}`, application_id: application.id, plan_id: plan.id, status: 'active' });
});
