import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadCatalogue } from '../../src/gateway/catalogue/catalogue.service.ts';
import type { GatewayPlan } from '../../src/gateway/catalogue/catalogue.types.ts';
import { subscribe } from '../../src/gateway/catalogue/subscriptions.service.ts';
import { createApplication, createOrganisation, issueApiKey } from '../../src/gateway/consumers/consumers.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { openIsolatedStore } from '../helpers/isolated-store.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

/*
 * The sandbox's exchange rates API as a newcomer meets it after `npm start`: the sandbox bank puts
 * the API and its plans in the gateway's catalogue; an application subscribes itself to the free
 * starter plan (active at once, as the portal's self-service does it), gets a key and calls
 * GET /fx/v1/rates/EUR on the gateway's public listener, which forwards to the bank core. The
 * business plan waits for the bank's approval.
 */

let app: TestPortcullis;
let call: typeof fetch;
let plans: Map<string, GatewayPlan>;
let fxRatesId: string;

const context = () => ({ db: app.db, events: app.events, clock: systemClock, actor: 'partner' as const });

before(async () => {
  // The sandbox bank as npm start has it, in a store of this file's own: its catalogue is nobody else's.
  const store = await openIsolatedStore();
  app = await startTestPortcullis({ BANK_INTEGRATION: fileURLToPath(new URL('../../sandbox/sandbox-bank.ts', import.meta.url)) }, { store: store.db });
  call = tlsFetch(app.caPem);
  const catalogue = await loadCatalogue(app.db);
  plans = new Map(catalogue.plans.map((plan) => [plan.name, plan]));
  fxRatesId = catalogue.apis.find((api) => api.name === 'fx-rates' && api.version === 'v1')!.id;
});
after(() => app?.close());

async function newApplication(name: string) {
  const organisation = await createOrganisation(context(), { name: `${name} Ltd` });
  return createApplication(context(), { organisationId: organisation.id, name });
}

test(`the sandbox offers fx-rates v1 on two plans: starter, free and self-service, and business, approved by the bank (${storeKind})`, async () => {
  const { apis } = await loadCatalogue(app.db);
  const fxRates = apis.find((api) => api.id === fxRatesId)!;
  assert.equal(fxRates.basePath, '/fx/v1');
  assert.equal(fxRates.authKind, 'api-key');
  assert.equal(fxRates.lifecycle, 'published');
  assert.deepEqual(fxRates.routes.map((route) => `${route.method} ${route.pathTemplate}`).sort(), ['GET /rates', 'GET /rates/{currency}']);
  assert.equal((fxRates.openapi?.['info'] as { title: string }).title, 'Exchange rates');

  const { id: _starter, ...starter } = plans.get('starter')!;
  assert.deepEqual(starter, { name: 'starter', ratePerSecond: null, ratePerMinute: 60, quotaPerDay: 1000, quotaPerMonth: null, selfService: true, priceMinorUnits: null, currency: null, apiIds: [fxRatesId] });
  const { id: _business, ...business } = plans.get('business')!;
  assert.deepEqual(business, { name: 'business', ratePerSecond: 20, ratePerMinute: null, quotaPerDay: null, quotaPerMonth: 1_000_000, selfService: false, priceMinorUnits: 4900, currency: 'GBP', apiIds: [fxRatesId] });

  const catalog = await (await call(`${app.urls.browser}/apis/${encodeURIComponent(fxRatesId)}`)).text();
  assert.match(catalog, /Exchange rates/);
  assert.match(catalog, /Every rate against a base currency/, 'the portal\'s reference page reads the OpenAPI document');
  assert.match(catalog, new RegExp(`${app.config.gatewayBaseUrl}/fx/v1`));
});

test(`an application subscribed to starter calls GET /fx/v1/rates/EUR with its key and gets the rate, with RateLimit headers (${storeKind})`, async () => {
  const application = await newApplication('Currency widget');
  const subscription = await subscribe(context(), { applicationId: application.id, planId: plans.get('starter')!.id });
  assert.equal(subscription.status, 'active', 'self-service: active at once');
  const { key } = await issueApiKey(context(), application.id);

  const today = () => new Date().toISOString().slice(0, 10);
  const dayBefore = today();
  const response = await call(`${app.urls.public}/fx/v1/rates/EUR`, { headers: { 'x-api-key': key } });
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(response.headers.get('ratelimit-policy'), '"per-minute";q=60;w=60, "per-day";q=1000;w=86400');
  assert.match(response.headers.get('ratelimit') ?? '', /^"per-minute";r=59;t=\d+$/);
  const body = await response.json() as { base: string; currency: string; rate: number; date: string };
  assert.deepEqual({ ...body, rate: typeof body.rate, date: undefined }, { base: 'GBP', currency: 'EUR', rate: 'number', date: undefined });
  assert.ok([dayBefore, today()].includes(body.date), `dated today (UTC): ${body.date}`);
  assert.ok(Math.abs(body.rate / 1.1712 - 1) <= 0.0025, `a realistic pound-euro rate: ${body.rate}`);

  const all = await call(`${app.urls.public}/fx/v1/rates?base=EUR`, { headers: { 'x-api-key': key } });
  assert.equal(all.status, 200);
  assert.equal(Object.keys(((await all.json()) as { rates: object }).rates).length, 11);

  const unknown = await call(`${app.urls.public}/fx/v1/rates/XYZ`, { headers: { 'x-api-key': key } });
  assert.equal(unknown.status, 404, 'the bank core\'s own problem comes through');
  assert.equal(unknown.headers.get('content-type'), 'application/problem+json');
  assert.match(((await unknown.json()) as { detail: string }).detail, /^XYZ is not quoted/);
});

test(`without a key, 401 problem details; the business plan waits for approval (${storeKind})`, async () => {
  const none = await call(`${app.urls.public}/fx/v1/rates/EUR`);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('content-type'), 'application/problem+json');
  assert.equal(none.headers.get('www-authenticate'), 'ApiKey');
  const problem = await none.json() as Record<string, unknown>;
  assert.equal(problem['type'], `${app.config.issuer}/docs/problems/unauthenticated`);
  assert.equal(problem['detail'], 'An API key is required in the x-api-key header');

  const application = await newApplication('Treasury dashboard');
  const requested = await subscribe(context(), { applicationId: application.id, planId: plans.get('business')!.id });
  assert.equal(requested.status, 'requested');
  const { key } = await issueApiKey(context(), application.id);
  assert.equal((await call(`${app.urls.public}/fx/v1/rates/EUR`, { headers: { 'x-api-key': key } })).status, 403, 'no active subscription until the bank approves');
});
