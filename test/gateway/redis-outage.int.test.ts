import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import type { Knex } from '../../src/db/knex.ts';
import { createEventBus } from '../../src/events/event-bus.ts';
import { createApplication, createOrganisation, issueApiKey } from '../../src/gateway/consumers/consumers.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { startDatabaseProxy, type DatabaseProxy } from '../helpers/database-proxy.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi, addTestPlan, subscribeTestApplication } from '../helpers/gateway-catalogue.ts';
import { startPortcullisProcess, type PortcullisProcess } from '../helpers/portcullis-process.ts';
import { openTestStore, storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

/*
 * Redis going away under two gateway processes that count one plan's limits in it, through a TCP
 * proxy the test cuts (the Redis server itself is shared and stays up): the one set to fail open
 * admits every call, the one set to fail closed answers 503 with Retry-After in the API's format;
 * neither waits on a silent Redis longer than its command timeout, neither crashes, both count the
 * failures in /metrics, and both count calls again once Redis is back.
 */

const skip = storeKind !== 'postgresql' && 'instances in their own processes share a PostgreSQL server (set DATABASE_URL)';
const LIMIT = 3;

let db: Knex;
let upstream: UpstreamServer;
let redis: DatabaseProxy;
let failOpen: PortcullisProcess;
let failClosed: PortcullisProcess;
let call: typeof fetch;
const basePath = `/redis-outage-${randomUUID().slice(0, 8)}/v1`;
const keys = { open: '', closed: '' };

before(async () => {
  if (skip) return;
  db = await openTestStore();
  upstream = await startUpstreamServer();
  redis = await startDatabaseProxy('redis://127.0.0.1:6379/7');
  const context = { db, clock: systemClock, events: createEventBus({ clock: systemClock, onListenerError: (error) => { throw error; } }) };
  const { id: apiId } = await addTestApi(db, context.events, { basePath, authKind: 'api-key', upstreams: [{ url: upstream.url, weight: 1 }], routes: [{ method: 'GET', path: '/items' }] });
  const planId = await addTestPlan(db, context.events, { apiIds: [apiId], ratePerMinute: LIMIT });
  const organisation = await createOrganisation(context, { name: 'Redis outage' });
  for (const side of ['open', 'closed'] as const) {
    const application = await createApplication(context, { organisationId: organisation.id, name: `fails ${side}` });
    await subscribeTestApplication(db, context.events, application.id, planId);
    keys[side] = (await issueApiKey(context, application.id)).key;
  }
  const shared = { ROLES: 'gateway', REDIS_URL: redis.url };
  failOpen = await startPortcullisProcess({ ...shared, RATE_LIMIT_ON_REDIS_FAILURE: 'open' });
  failClosed = await startPortcullisProcess({ ...shared, RATE_LIMIT_ON_REDIS_FAILURE: 'closed', CERTS_DIR: failOpen.config.certsDir });
  call = tlsFetch(readFileSync(join(failOpen.config.certsDir, 'dev-ca.pem'), 'utf8'));
});
after(async () => {
  for (const instance of [failOpen, failClosed]) await instance?.close();
  await redis?.close();
  await upstream?.close();
  await db?.destroy();
});

async function items(instance: PortcullisProcess, key: string) {
  const started = performance.now();
  const response = await call(`${instance.urls.public}${basePath}/items`, { headers: { 'x-api-key': key } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined, ms: performance.now() - started };
}

async function redisFailures(instance: PortcullisProcess): Promise<number> {
  const metrics = await (await call(`${instance.urls.admin}/metrics`)).text();
  return Number(/^portcullis_gateway_redis_failures_total (\d+)/m.exec(metrics)?.[1] ?? 0);
}

/** Calls until the plan's minute is spent: Redis is counting. */
async function spendTheMinute(instance: PortcullisProcess, key: string): Promise<void> {
  await eventually(async () => (await items(instance, key)).status === 429, { withinMs: 10_000, what: 'the limit counted in Redis' });
}

test('Redis down: fail-open admits, fail-closed answers 503 with Retry-After, neither waits or crashes, both report it, both count again when it is back', { skip, timeout: 120_000 }, async () => {
  for (const [instance, key] of [[failOpen, keys.open], [failClosed, keys.closed]] as const) await spendTheMinute(instance, key);
  const failuresBefore = { open: await redisFailures(failOpen), closed: await redisFailures(failClosed) };

  for (const kind of ['refused', 'black-hole'] as const) {
    await redis.cut(kind);
    for (let round = 0; round < 3; round += 1) {
      const admitted = await items(failOpen, keys.open);
      assert.equal(admitted.status, 200, `${kind}: fail-open admits the call though its minute is spent`);
      const refused = await items(failClosed, keys.closed);
      assert.equal(refused.status, 503, `${kind}: ${JSON.stringify(refused.body)}`);
      assert.equal(refused.headers.get('content-type'), 'application/problem+json');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1, 'Retry-After');
      assert.equal(refused.body.status, 503);
      // The command timeout is 250 ms; a loaded machine gets a margin, never the seconds a queue would take.
      for (const answer of [admitted, refused]) assert.ok(answer.ms < 1500, `${kind}: answered in ${Math.round(answer.ms)} ms`);
    }
    await redis.restore({ failover: kind === 'black-hole' });
    // Back: both count again (the minute already spent, or spent anew if it turned meanwhile).
    await spendTheMinute(failOpen, keys.open);
    await spendTheMinute(failClosed, keys.closed);
  }

  assert.ok(await redisFailures(failOpen) > failuresBefore.open, 'fail-open counts its failures');
  assert.ok(await redisFailures(failClosed) > failuresBefore.closed, 'fail-closed counts its failures');
  for (const instance of [failOpen, failClosed]) {
    assert.equal((await call(`${instance.urls.public}/healthz`)).status, 200, 'alive');
    assert.doesNotMatch(instance.output(), /uncaught|unhandled/i);
  }
});
