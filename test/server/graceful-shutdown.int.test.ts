import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { verifyAuditChain } from '../../src/audit/verify-audit-chain.ts';
import type { Knex } from '../../src/db/knex.ts';
import { createEventBus } from '../../src/events/event-bus.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { addTestApi } from '../helpers/gateway-catalogue.ts';
import { startPortcullisProcess, type PortcullisProcess } from '../helpers/portcullis-process.ts';
import { openTestStore, storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

/*
 * SIGTERM under load, as a rolling deployment sends it: two gateway instances (their own
 * processes, `node src/main.ts`) behind a load balancer that, like a Kubernetes Service, sends
 * requests only to instances whose `/readyz` answers 200, polled every 100 ms. One instance is
 * stopped while every connection to it has a request in flight (the upstream takes 150 ms). Its
 * readiness turns false at once, it keeps serving through its shutdown delay, then stops
 * accepting, finishes what it holds, flushes its analytics and audit log, and exits 0. The balancer
 * sees no failed request, and every call it saw answered is in the audit log and in the analytics.
 */

const skip = storeKind !== 'postgresql' && 'instances in their own processes share a PostgreSQL server (set DATABASE_URL)';
const UPSTREAM_DELAY_MS = 150;
const READINESS_POLL_MS = 100;
const LOOPS = 12;

let db: Knex;
let upstream: UpstreamServer;
const instances: PortcullisProcess[] = [];
const basePath = `/drain-${randomUUID().slice(0, 8)}/v1`;
let apiId: string;

before(async () => {
  if (skip) return;
  db = await openTestStore();
  upstream = await startUpstreamServer((_request, res) => {
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    }, UPSTREAM_DELAY_MS);
  });
  // Made before the instances start: each reads the catalogue as it starts.
  const events = createEventBus({ clock: systemClock, onListenerError: (error) => { throw error; } });
  ({ id: apiId } = await addTestApi(db, events, { basePath, authKind: 'none', upstreams: [{ url: upstream.url, weight: 1 }], routes: [{ method: 'GET', path: '/work', policy: { audit: 'on' } }] }));
  const first = await startPortcullisProcess({ ROLES: 'gateway', SHUTDOWN_DELAY: '1', SHUTDOWN_TIMEOUT: '10' });
  instances.push(first, await startPortcullisProcess({ ROLES: 'gateway', SHUTDOWN_DELAY: '1', SHUTDOWN_TIMEOUT: '10', CERTS_DIR: first.config.certsDir }));
});
after(async () => {
  for (const instance of instances) await instance.close();
  await upstream?.close();
  await db?.destroy();
});

interface Outcome {
  interactionId: string;
  backend: number;
  status: number | string;
}

/** The balancer: round robin over the instances whose readiness answered 200 at the last poll. */
function loadBalancer(call: typeof fetch) {
  const ready = instances.map(() => true);
  let polling = true;
  const polls = instances.map(async (instance, index) => {
    while (polling) {
      ready[index] = await call(`${instance.urls.public}/readyz`).then((response) => response.arrayBuffer().then(() => response.ok), () => false);
      await sleep(READINESS_POLL_MS);
    }
  });
  let turn = 0;
  return {
    pick(): number {
      for (let tried = 0; tried < instances.length; tried += 1) {
        turn = (turn + 1) % instances.length;
        if (ready[turn]) return turn;
      }
      throw new Error('no instance is ready');
    },
    async stop() {
      polling = false;
      await Promise.all(polls);
    },
  };
}

test('an instance told to stop under load fails no request, finishes what it holds, flushes its records and exits 0', { skip, timeout: 120_000 }, async (t) => {
  const call = tlsFetch(readFileSync(join(instances[0]!.config.certsDir, 'dev-ca.pem'), 'utf8'));
  // Both instances route the API before the load starts.
  for (const instance of instances) assert.equal((await call(`${instance.urls.public}${basePath}/work`)).status, 200);
  const balancer = loadBalancer(call);
  const outcomes: Outcome[] = [];
  let loading = true;
  const loops = Array.from({ length: LOOPS }, async () => {
    while (loading) {
      const backend = balancer.pick();
      const interactionId = randomUUID();
      try {
        const response = await call(`${instances[backend]!.urls.public}${basePath}/work`, { headers: { 'x-fapi-interaction-id': interactionId } });
        await response.arrayBuffer();
        outcomes.push({ interactionId, backend, status: response.status });
      } catch (error) {
        outcomes.push({ interactionId, backend, status: `${(error as Error).message}: ${String((error as Error).cause)}` });
      }
    }
  });

  await sleep(1500);
  const stopping = instances[0]!;
  const signalledAt = performance.now();
  const answeredBefore = outcomes.filter((outcome) => outcome.backend === 0).length;
  const code = await stopping.stop('SIGTERM');
  const exitMs = performance.now() - signalledAt;
  await sleep(1000);
  loading = false;
  await Promise.all(loops);
  await balancer.stop();

  assert.equal(code, 0, stopping.output());
  assert.doesNotMatch(stopping.output(), /shutdown\.requests_cut/, 'nothing was cut');
  const failed = outcomes.filter((outcome) => outcome.status !== 200);
  assert.deepEqual(failed, [], `${failed.length} of ${outcomes.length} calls failed`);
  const toStopping = outcomes.filter((outcome) => outcome.backend === 0).length;
  assert.ok(toStopping > answeredBefore, 'the stopping instance kept answering after the signal');
  assert.ok(exitMs < 1000 + 10_000, `exited in ${Math.round(exitMs)} ms`);
  t.diagnostic(`${outcomes.length} calls, ${toStopping} to the stopped instance (${toStopping - answeredBefore} after its signal), exited ${Math.round(exitMs)} ms after it`);

  // The other instance flushes on its own stop; then every answered call is recorded, once.
  assert.equal(await instances[1]!.stop('SIGTERM'), 0, instances[1]!.output());
  const audited = new Set((await db('audit_log').where({ kind: 'call' }).whereRaw("action = ?", [`GET ${basePath}/work`]).select(db.raw("payload->>'interactionId' as id"))).map((row: { id: string }) => row.id));
  const missing = outcomes.filter((outcome) => !audited.has(outcome.interactionId));
  assert.deepEqual(missing, [], `${missing.length} answered calls missing from the audit log`);
  const [{ calls }] = await db('analytics_minute_rollups').where({ api_id: apiId }).sum({ calls: 'count' });
  // The two readiness-check calls before the load count too.
  assert.equal(Number(calls), outcomes.length + instances.length, 'every answered call is in the analytics, once');
  assert.deepEqual((await verifyAuditChain(db)).problems, []);
});
