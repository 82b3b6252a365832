import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';

import { createApplication, createOrganisation, issueApiKey, revokeApplicationKey, setApplicationState } from '../../src/gateway/consumers/consumers.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi, addTestPlan, setTestApiLifecycle, subscribeTestApplication } from '../helpers/gateway-catalogue.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

/*
 * The SaaS flow through the gateway's public listener (issue 11, "Done when"): an application with
 * an API key on a free plan calls a published API until its quota answers 429 with the RateLimit
 * headers, and a deprecated version answers with Deprecation, Sunset and its successor. Then every
 * refusal of an API-key API, each with its status and problem details.
 */

let app: TestPortcullis;
let upstream: UpstreamServer;
let call: typeof fetch;
const suffix = randomUUID().slice(0, 8);
const v1 = `/weather-${suffix}/v1`;
const v0 = `/weather-${suffix}/v0`;
const SUNSET = new Date('2027-06-30T00:00:00Z');
const DEPRECATED = new Date('2026-12-01T00:00:00Z');
let freePlan: string;
let v1Id: string;

const context = () => ({ db: app.db, events: app.events, clock: systemClock });

async function newSubscriber(planId: string) {
  const organisation = await createOrganisation(context(), { name: `Weather fans ${randomUUID()}` });
  const application = await createApplication(context(), { organisationId: organisation.id, name: 'forecast widget' });
  await subscribeTestApplication(app.db, app.events, application.id, planId);
  const issued = await issueApiKey(context(), application.id);
  return { application, key: issued.key, keyId: issued.keyId };
}

const get = (path: string, key?: string, init: RequestInit = {}) => call(`${app.urls.public}${path}`, { ...init, headers: { ...(key ? { 'x-api-key': key } : {}), ...(init.headers as Record<string, string> | undefined) } });

before(async () => {
  upstream = await startUpstreamServer();
  app = await startTestPortcullis();
  call = tlsFetch(app.caPem);
  const upstreams = [{ url: upstream.url, weight: 100 }];
  ({ id: v1Id } = await addTestApi(app.db, app.events, { version: 'v1', basePath: v1, authKind: 'api-key', upstreams, routes: [{ method: 'GET', path: '/forecasts/{city}' }, { method: 'POST', path: '/alerts' }] }));
  const { id: v0Id } = await addTestApi(app.db, app.events, {
    version: 'v0', basePath: v0, authKind: 'api-key', upstreams, lifecycle: 'deprecated', sunsetAt: SUNSET, deprecatedAt: DEPRECATED, successorApiId: v1Id,
    routes: [{ method: 'GET', path: '/forecasts/{city}' }],
  });
  freePlan = await addTestPlan(app.db, app.events, { apiIds: [v1Id, v0Id], quotaPerDay: 5, ratePerMinute: 100 });
});
after(async () => {
  await app?.close();
  await upstream?.close();
});

test(`a free-plan application calls until its daily quota answers 429 with the RateLimit headers (${storeKind})`, async () => {
  const { key } = await newSubscriber(freePlan);
  await eventually(async () => (await get(`${v1}/forecasts/london`, key)).status !== 404, { withinMs: 1000 });
  const seenBefore = upstream.seen.length;
  let admitted = 1;
  let response: Response;
  for (;;) {
    response = await get(`${v1}/forecasts/london?days=3`, key);
    if (response.status !== 200) break;
    admitted += 1;
    assert.match(response.headers.get('ratelimit-policy') ?? '', /q=5/);
    assert.ok(response.headers.get('ratelimit'));
    assert.deepEqual(await response.json(), { method: 'GET', url: '/forecasts/london?days=3' });
  }
  assert.equal(admitted, 5, 'exactly the quota');
  assert.equal(response.status, 429);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  assert.ok(Number(response.headers.get('retry-after')) > 0);
  assert.ok(response.headers.get('ratelimit'));
  const problem = await response.json() as Record<string, unknown>;
  assert.equal(problem['status'], 429);
  assert.equal(problem['type'], `${app.config.issuer}/docs/problems/quota-exceeded`);

  const forwarded = upstream.seen.slice(seenBefore);
  assert.equal(forwarded.length, 4, 'refused calls never reach the upstream');
  for (const request of forwarded) {
    assert.equal(request.headers['x-api-key'], undefined, 'the key stays at the gateway');
    assert.ok(request.headers['x-portcullis-identity'], 'the caller goes upstream signed');
  }
});

test(`a deprecated version answers with Deprecation, Sunset and a link to its successor (${storeKind})`, async () => {
  const { key } = await newSubscriber(freePlan);
  const response = await get(`${v0}/forecasts/paris`, key);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('deprecation'), `@${DEPRECATED.getTime() / 1000}`);
  assert.equal(response.headers.get('sunset'), SUNSET.toUTCString());
  assert.equal(response.headers.get('link'), `<${app.config.gatewayBaseUrl}${v1}>; rel="successor-version"`);
  const missing = await get(`${v0}/forecasts/paris`);
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get('sunset'), SUNSET.toUTCString(), 'errors too');
});

test(`refusals: no key, a wrong key, a revoked key and a suspended application, each within a second (${storeKind})`, async () => {
  const { application, key, keyId } = await newSubscriber(freePlan);
  const none = await get(`${v1}/forecasts/oslo`);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'ApiKey');
  assert.equal(((await none.json()) as { detail: string }).detail, 'An API key is required in the x-api-key header');
  assert.equal((await get(`${v1}/forecasts/oslo`, `${key.slice(0, -2)}xx`)).status, 401);
  assert.equal((await get(`${v1}/forecasts/oslo`, 'not-a-key')).status, 401);

  assert.equal((await get(`${v1}/forecasts/oslo`, key)).status, 200, 'cached now');
  await setApplicationState(context(), application.id, 'suspended');
  await eventually(async () => (await get(`${v1}/forecasts/oslo`, key)).status === 403, { withinMs: 1000 });
  await setApplicationState(context(), application.id, 'active');
  await eventually(async () => (await get(`${v1}/forecasts/oslo`, key)).status === 200, { withinMs: 1000 });
  await revokeApplicationKey(context(), keyId);
  await eventually(async () => (await get(`${v1}/forecasts/oslo`, key)).status === 401, { withinMs: 1000 });
});

test(`an application without a subscription to a plan covering the API is refused (${storeKind})`, async () => {
  const organisation = await createOrganisation(context(), { name: `No plan ${randomUUID()}` });
  const application = await createApplication(context(), { organisationId: organisation.id, name: 'unsubscribed' });
  const { key } = await issueApiKey(context(), application.id);
  const response = await get(`${v1}/forecasts/rome`, key);
  assert.equal(response.status, 403);
  assert.match(((await response.json()) as { detail: string }).detail, /no active subscription/);
});

test(`routing: unknown path 404, wrong method 405 with Allow, retired 410, draft 404 (${storeKind})`, async () => {
  const { key } = await newSubscriber(freePlan);
  const unknown = await get(`${v1}/nowhere`, key);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers.get('content-type'), 'application/problem+json');
  const wrongMethod = await get(`${v1}/forecasts/oslo`, key, { method: 'DELETE' });
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get('allow'), 'GET, HEAD');
  assert.equal((await get(`/nothing-here-${suffix}`)).status, 404);

  const upstreams = [{ url: upstream.url, weight: 100 }];
  const retiring = await addTestApi(app.db, app.events, { basePath: `/retiring-${suffix}/v1`, authKind: 'none', upstreams, routes: [{ method: 'GET', path: '/' }] });
  await eventually(async () => (await get(`/retiring-${suffix}/v1`)).status === 200, { withinMs: 1000 });
  await setTestApiLifecycle(app.db, app.events, retiring.id, 'retired');
  await eventually(async () => (await get(`/retiring-${suffix}/v1`)).status === 410, { withinMs: 1000 });
  await setTestApiLifecycle(app.db, app.events, retiring.id, 'draft');
  await eventually(async () => (await get(`/retiring-${suffix}/v1`)).status === 404, { withinMs: 1000 });
});

test(`a request body streams to the upstream unchanged, far past the partner listener's 64 KiB, and past 1 MiB is 413 (${storeKind})`, async () => {
  const { key } = await newSubscriber(freePlan);
  const body = JSON.stringify({ alerts: 'x'.repeat(300 * 1024) });
  const response = await get(`${v1}/alerts`, key, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  assert.equal(response.status, 200);
  assert.equal(upstream.seen.at(-1)!.body, body);
  const tooLarge = await get(`${v1}/alerts`, key, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1), headers: { 'content-type': 'text/plain' } });
  assert.equal(tooLarge.status, 413);
});

test(`an answer streams to the caller whole at any size; one its upstream breaks off midway cuts the caller's connection, and the gateway goes on (${storeKind})`, async () => {
  const large = Buffer.alloc(5 * 1024 * 1024, 'a');
  const flaky: Server = createServer((req, res) => {
    if (req.url === '/large') return void res.writeHead(200, { 'content-type': 'text/plain', 'content-length': large.length }).end(large);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
    res.write('x'.repeat(100), () => res.destroy());
  });
  flaky.listen(0, '127.0.0.1');
  await once(flaky, 'listening');
  try {
    const basePath = `/flaky-${suffix}/v1`;
    const { id } = await addTestApi(app.db, app.events, { name: `flaky-${suffix}`, basePath, authKind: 'api-key', upstreams: [{ url: `http://127.0.0.1:${(flaky.address() as { port: number }).port}`, weight: 1 }], routes: [{ method: 'GET', path: '/large' }, { method: 'GET', path: '/broken' }] });
    const { key } = await newSubscriber(await addTestPlan(app.db, app.events, { apiIds: [id], ratePerMinute: 100 }));
    await eventually(async () => (await get(`${basePath}/large`, key)).status === 200, { withinMs: 1000 });

    const whole = await get(`${basePath}/large`, key);
    assert.equal(whole.status, 200);
    assert.ok(Buffer.from(await whole.arrayBuffer()).equals(large), 'streamed through, not held: every byte as sent');

    const broken = await get(`${basePath}/broken`, key);
    assert.equal(broken.status, 200, 'the status went before the body broke off');
    await assert.rejects(broken.text(), 'the caller sees its answer cut, never a short body passed off as whole');
    assert.equal((await get(`${basePath}/large`, key)).status, 200);
  } finally {
    flaky.closeAllConnections();
    flaky.close();
  }
});
