import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { text } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';

import type { Upstream } from '../../../src/gateway/catalogue/catalogue.types.ts';
import type { BreakerState } from '../../../src/gateway/upstream/target-breaker.ts';
import { createUpstreamClient, type UpstreamClientOptions } from '../../../src/gateway/upstream/upstream-client.ts';
import { UpstreamUnavailable } from '../../../src/gateway/upstream/upstream-unavailable.ts';
import { seededRandom, silentLogger, startTcpServer, startUpstream, streamingBodies, type StreamingUpstreamClient } from './upstream-servers.ts';

const closing: Array<{ close(): Promise<void> }> = [];
after(() => Promise.all(closing.map((item) => item.close())));

const HALF_OPEN_AFTER_MS = 200;

function client(overrides: Partial<UpstreamClientOptions> = {}): { upstream: StreamingUpstreamClient; states: Array<[string, BreakerState]> } {
  const states: Array<[string, BreakerState]> = [];
  const upstream = streamingBodies(createUpstreamClient({
    logger: silentLogger,
    timeouts: { connectMs: 1000, headersMs: 5000, bodyMs: 5000 },
    breaker: { consecutiveFailures: 2, halfOpenAfterMs: HALF_OPEN_AFTER_MS },
    retries: 0,
    onBreakerStateChange: (url, state) => void states.push([url, state]),
    ...overrides,
  }));
  closing.push(upstream);
  return { upstream, states };
}

/** An upstream answering with `status`, which the test changes; `hold` keeps responses until released. */
async function switchable() {
  const control = { status: 503, hold: false, held: [] as ServerResponse[], arrived: Promise.withResolvers<void>() };
  const server = await startUpstream((_req, res) => {
    if (control.hold) {
      control.held.push(res);
      control.arrived.resolve();
      return;
    }
    res.statusCode = control.status;
    res.end(String(control.status));
  });
  closing.push(server);
  return { server, control };
}

const call = async (upstream: StreamingUpstreamClient, upstreams: Upstream[]) => {
  const response = await upstream.forward({ upstreams, method: 'GET', path: '/', headers: {} });
  return { status: response.status, body: await text(response.body), target: response.target };
};

async function assertBreakerOpen(forwarding: Promise<unknown>, retryAfterSeconds: number): Promise<UpstreamUnavailable> {
  let thrown: unknown;
  await assert.rejects(forwarding, (error) => ((thrown = error), true));
  assert.ok(thrown instanceof UpstreamUnavailable, `not UpstreamUnavailable: ${String(thrown)}`);
  assert.equal(thrown.reason, 'breaker_open');
  assert.equal(thrown.status, 503);
  assert.equal(thrown.retryAfterSeconds, retryAfterSeconds);
  return thrown;
}

test('503s in a row open the breaker; it fails fast without touching the upstream, lets one probe through after halfOpenAfterMs, and its success closes it', async () => {
  const { server, control } = await switchable();
  const { upstream, states } = client();
  const upstreams = [{ url: server.url, weight: 1 }];

  assert.deepEqual(await call(upstream, upstreams), { status: 503, body: '503', target: server.url }, 'a 503 is still handed on');
  assert.equal(states.length, 0);
  assert.equal((await call(upstream, upstreams)).status, 503);
  assert.deepEqual(states, [[server.url, 'open']]);

  const refused = await assertBreakerOpen(call(upstream, upstreams), 1);
  assert.equal(refused.target, server.url);
  assert.equal(server.received.length, 2, 'an open breaker sends nothing');

  await sleep(HALF_OPEN_AFTER_MS + 50);
  control.hold = true;
  const probe = call(upstream, upstreams);
  await control.arrived.promise;
  assert.deepEqual(states.map(([, state]) => state), ['open', 'half-open']);
  // While the probe is out, others fail fast rather than wait for its outcome.
  await assertBreakerOpen(call(upstream, upstreams), 1);
  assert.equal(server.received.length, 3);

  control.held[0]!.end('recovered');
  assert.deepEqual(await probe, { status: 200, body: 'recovered', target: server.url });
  assert.deepEqual(states.map(([, state]) => state), ['open', 'half-open', 'closed']);
  control.hold = false;
  control.status = 200;
  assert.equal((await call(upstream, upstreams)).status, 200);
});

test('a failed probe opens the breaker again for another halfOpenAfterMs', async () => {
  const { server } = await switchable();
  const { upstream, states } = client();
  const upstreams = [{ url: server.url, weight: 1 }];
  await call(upstream, upstreams);
  await call(upstream, upstreams);
  await sleep(HALF_OPEN_AFTER_MS + 50);
  assert.equal((await call(upstream, upstreams)).status, 503);
  assert.deepEqual(states.map(([, state]) => state), ['open', 'half-open', 'open']);
  await assertBreakerOpen(call(upstream, upstreams), 1);
  assert.equal(server.received.length, 3);
});

test('connection failures count too; the failure that opens the breaker carries Retry-After, rounded up', async () => {
  const server = await startTcpServer('hang-up');
  closing.push(server);
  const url = `http://127.0.0.1:${server.port}`;
  const { upstream } = client({ breaker: { consecutiveFailures: 2, halfOpenAfterMs: 2500 } });
  await assert.rejects(upstream.forward({ upstreams: [{ url, weight: 1 }], method: 'GET', path: '/', headers: {} }), { reason: 'unreachable', retryAfterSeconds: undefined });
  await assert.rejects(upstream.forward({ upstreams: [{ url, weight: 1 }], method: 'GET', path: '/', headers: {} }), { reason: 'unreachable', retryAfterSeconds: 3 });
  await assertBreakerOpen(upstream.forward({ upstreams: [{ url, weight: 1 }], method: 'GET', path: '/', headers: {} }), 3);
  assert.equal(server.connections(), 2);
});

test('a 500 is an answer, not a failure: it never opens the breaker', async () => {
  const { server, control } = await switchable();
  control.status = 500;
  const { upstream, states } = client({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 10_000 } });
  for (let i = 0; i < 3; i++) assert.equal((await call(upstream, [{ url: server.url, weight: 1 }])).status, 500);
  assert.equal(server.received.length, 3);
  assert.equal(states.length, 0);
});

test('a target whose breaker is open is skipped while another is available; when all are open the soonest to half-open is named', async () => {
  const failing = await switchable();
  const healthy = await switchable();
  healthy.control.status = 200;
  const { upstream } = client({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 10_000 }, random: seededRandom(11) });
  const upstreams = [{ url: failing.server.url, weight: 50 }, { url: healthy.server.url, weight: 50 }];
  const targets = [];
  for (let i = 0; i < 40; i++) targets.push((await call(upstream, upstreams)).target);
  assert.equal(failing.server.received.length, 1, 'one 503 opened its breaker; no call went there after');
  assert.equal(targets.filter((target) => target === healthy.server.url).length, 39);

  healthy.control.status = 503;
  await call(upstream, upstreams);
  const refused = await assertBreakerOpen(call(upstream, upstreams), 10);
  assert.equal(refused.target, failing.server.url, 'it opened first, so it half-opens first');
});
