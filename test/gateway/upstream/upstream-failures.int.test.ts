import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, test } from 'node:test';

import { createUpstreamClient, type UpstreamClientOptions } from '../../../src/gateway/upstream/upstream-client.ts';
import { UpstreamUnavailable } from '../../../src/gateway/upstream/upstream-unavailable.ts';
import { refusingUrl, silentLogger, startTcpServer, startUpstream, streamingBodies, type StreamingUpstreamClient } from './upstream-servers.ts';

const closing: Array<{ close(): Promise<void> }> = [];
after(() => Promise.all(closing.map((item) => item.close())));

function client(overrides: Partial<UpstreamClientOptions> = {}): StreamingUpstreamClient {
  const upstream = streamingBodies(createUpstreamClient({
    logger: silentLogger,
    timeouts: { connectMs: 150, headersMs: 150, bodyMs: 1000 },
    breaker: { consecutiveFailures: 50, halfOpenAfterMs: 10_000 },
    retries: 0,
    // Always the first target with a positive weight among those allowed: the tests say which that is.
    random: () => 0,
    ...overrides,
  }));
  closing.push(upstream);
  return upstream;
}

async function track<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const started = await server;
  closing.push(started);
  return started;
}

const liveUpstream = () => track(startUpstream((_req, res) => res.end('live')));
// Accepts requests and never answers them (the test run closes it).
const mute = () => track(startUpstream(() => {}));

/** Asserts an `UpstreamUnavailable` of `reason` on `target`, and returns it. */
async function assertUnavailable(forwarding: Promise<unknown>, reason: string, target: string): Promise<UpstreamUnavailable> {
  let thrown: unknown;
  await assert.rejects(forwarding, (error) => ((thrown = error), true));
  assert.ok(thrown instanceof UpstreamUnavailable, `not UpstreamUnavailable: ${String(thrown)}`);
  assert.equal(thrown.reason, reason);
  assert.equal(thrown.target, target);
  return thrown;
}

test('a refused connection is unreachable (502), without Retry-After while the breaker stays closed', async () => {
  const url = await refusingUrl();
  const failure = await assertUnavailable(client().forward({ upstreams: [{ url, weight: 1 }], method: 'GET', path: '/', headers: {} }), 'unreachable', url);
  assert.equal(failure.status, 502);
  assert.equal(failure.retryAfterSeconds, undefined);
  assert.equal(failure.expose, false);
  assert.equal((failure.cause as { code?: string }).code, 'ECONNREFUSED');
});

test('an upstream that hangs up without answering is unreachable', async () => {
  const server = await track(startTcpServer('hang-up'));
  const url = `http://127.0.0.1:${server.port}`;
  await assertUnavailable(client().forward({ upstreams: [{ url, weight: 1 }], method: 'GET', path: '/', headers: {} }), 'unreachable', url);
});

test('a connection that does not open in connectMs times out (504) quickly', async () => {
  // TCP connects, but the TLS handshake an https upstream needs never gets an answer.
  const server = await track(startTcpServer('silent'));
  const url = `https://127.0.0.1:${server.port}`;
  const started = performance.now();
  const failure = await assertUnavailable(client().forward({ upstreams: [{ url, weight: 1 }], method: 'GET', path: '/', headers: {} }), 'timeout', url);
  assert.ok(performance.now() - started < 3000, 'bounded by the connect timeout (undici’s timers tick about every half second)');
  assert.equal(failure.status, 504);
  assert.equal((failure.cause as { code?: string }).code, 'UND_ERR_CONNECT_TIMEOUT');
});

test('an upstream that never sends its response headers times out (504) after headersMs', async () => {
  const server = await mute();
  const started = performance.now();
  const failure = await assertUnavailable(client().forward({ upstreams: [{ url: server.url, weight: 1 }], method: 'GET', path: '/', headers: {} }), 'timeout', server.url);
  assert.ok(performance.now() - started < 3000, 'bounded by the headers timeout');
  assert.equal((failure.cause as { code?: string }).code, 'UND_ERR_HEADERS_TIMEOUT');
  assert.equal(server.received.length, 1);
});

test('a GET that gets no response is sent again to another target', async () => {
  const dead = await refusingUrl();
  const live = await liveUpstream();
  const response = await client({ retries: 1 }).forward({ upstreams: [{ url: dead, weight: 9 }, { url: live.url, weight: 1 }], method: 'GET', path: '/', headers: {} });
  assert.equal(await text(response.body), 'live');
  assert.equal(response.target, live.url);
});

test('an idempotent call that timed out waiting for headers goes to another target, its Buffer body sent again', async () => {
  const slow = await mute();
  const live = await track(startUpstream((req, res) => req.pipe(res)));
  const response = await client({ retries: 1 }).forward({ upstreams: [{ url: slow.url, weight: 9 }, { url: live.url, weight: 1 }], method: 'PUT', path: '/', headers: { 'content-length': '7' }, body: Buffer.from('payload') });
  assert.equal(await text(response.body), 'payload');
  assert.equal(slow.received.length, 1);
});

test('alone, a target is tried again, up to `retries` more times, then the last failure is thrown', async () => {
  const server = await track(startTcpServer('hang-up'));
  const url = `http://127.0.0.1:${server.port}`;
  await assertUnavailable(client({ retries: 2 }).forward({ upstreams: [{ url, weight: 1 }], method: 'DELETE', path: '/', headers: {} }), 'unreachable', url);
  assert.equal(server.connections(), 3);
});

test('POST and PATCH are never retried, nor a call whose body is a stream', async () => {
  const dead = await track(startTcpServer('hang-up'));
  const deadUrl = `http://127.0.0.1:${dead.port}`;
  const live = await liveUpstream();
  const upstream = client({ retries: 3 });
  const upstreams = [{ url: deadUrl, weight: 9 }, { url: live.url, weight: 1 }];
  await assertUnavailable(upstream.forward({ upstreams, method: 'POST', path: '/payments', headers: {}, body: Buffer.from('{}') }), 'unreachable', deadUrl);
  await assertUnavailable(upstream.forward({ upstreams, method: 'PATCH', path: '/payments/1', headers: {}, body: Buffer.from('{}') }), 'unreachable', deadUrl);
  await assertUnavailable(upstream.forward({ upstreams, method: 'PUT', path: '/files/1', headers: {}, body: Readable.from([Buffer.from('once')]) }), 'unreachable', deadUrl);
  assert.equal(dead.connections(), 3);
  assert.equal(live.received.length, 0);
});

test('the caller going away aborts the call: its abort is thrown as it is and counts against no breaker', async () => {
  const arrived = Promise.withResolvers<void>();
  // Holds the first request, answers the next.
  const server = await track(startUpstream((_req, res) => (server.received.length === 1 ? arrived.resolve() : res.end('answered'))));
  const upstream = client({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 10_000 }, timeouts: { connectMs: 1000, headersMs: 5000, bodyMs: 1000 } });
  const controller = new AbortController();
  const forwarding = upstream.forward({ upstreams: [{ url: server.url, weight: 1 }], method: 'GET', path: '/', headers: {}, signal: controller.signal });
  await arrived.promise;
  controller.abort();
  await assert.rejects(forwarding, (error) => !(error instanceof UpstreamUnavailable) && (error as Error).name === 'AbortError');
  const again = await upstream.forward({ upstreams: [{ url: server.url, weight: 1 }], method: 'GET', path: '/', headers: {} });
  assert.equal(await text(again.body), 'answered', 'one failure would have opened this breaker');
});

test('options that cannot work are refused when the client is made, naming the option', () => {
  const options = { logger: silentLogger, timeouts: { connectMs: 1000, headersMs: 1000, bodyMs: 1000 }, breaker: { consecutiveFailures: 5, halfOpenAfterMs: 1000 }, retries: 1 };
  assert.throws(() => createUpstreamClient({ ...options, retries: -1 }), { name: 'RangeError', message: 'upstream retries must be an integer, 0 or more' });
  assert.throws(() => createUpstreamClient({ ...options, timeouts: { ...options.timeouts, headersMs: 0 } }), { message: 'upstream timeouts.headersMs must be a positive integer' });
  assert.throws(() => createUpstreamClient({ ...options, breaker: { ...options.breaker, consecutiveFailures: 0.5 } }), { message: 'upstream breaker.consecutiveFailures must be a positive integer' });
});
