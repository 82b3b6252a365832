import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, test } from 'node:test';

import type { JWK } from 'jose';

import { systemClock } from '../../../src/shared/clock.ts';
import { CALLER_IDENTITY_HEADER, signCallerIdentity, verifyCallerIdentity } from '../../../src/gateway/upstream/caller-identity.ts';
import { createUpstreamClient } from '../../../src/gateway/upstream/upstream-client.ts';
import { seededRandom, silentLogger, startUpstream, type TestUpstream, streamingBodies, type StreamingUpstreamClient } from './upstream-servers.ts';

const opened: Array<StreamingUpstreamClient | TestUpstream> = [];
after(() => Promise.all(opened.map((item) => item.close())));

function client(random?: () => number): StreamingUpstreamClient {
  const upstream = streamingBodies(createUpstreamClient({
    logger: silentLogger,
    timeouts: { connectMs: 2000, headersMs: 5000, bodyMs: 5000 },
    breaker: { consecutiveFailures: 5, halfOpenAfterMs: 10_000 },
    retries: 1,
    ...(random ? { random } : {}),
  }));
  opened.push(upstream);
  return upstream;
}

async function upstreamServer(...args: Parameters<typeof startUpstream>): Promise<TestUpstream> {
  const server = await startUpstream(...args);
  opened.push(server);
  return server;
}

test('status, headers and body pass through; the path goes below the upstream URL’s own path, with the upstream’s host', async () => {
  const server = await upstreamServer((req, res) => {
    res.writeHead(201, { 'content-type': 'application/json', 'x-fapi-interaction-id': req.headers['x-fapi-interaction-id'], 'set-cookie': ['a=1', 'b=2'] });
    res.end(JSON.stringify({ method: req.method, url: req.url }));
  }, '/core/v1/');
  const response = await client().forward({
    upstreams: [{ url: server.url, weight: 1 }],
    method: 'PUT',
    path: '/accounts/22289?page=2',
    headers: { host: 'gateway.example', 'x-fapi-interaction-id': '93bac548-d2de-4546-b106-880a5018460d', 'content-type': 'application/json', 'content-length': '2' },
    body: Buffer.from('{}'),
  });
  assert.equal(response.status, 201);
  assert.equal(response.target, server.url);
  assert.ok(response.upstreamMs > 0);
  assert.deepEqual(JSON.parse(await text(response.body)), { method: 'PUT', url: '/core/v1/accounts/22289?page=2' });
  assert.equal(response.headers['content-type'], 'application/json');
  assert.equal(response.headers['x-fapi-interaction-id'], '93bac548-d2de-4546-b106-880a5018460d');
  assert.deepEqual(response.headers['set-cookie'], ['a=1', 'b=2']);
  const [received] = server.received;
  assert.equal(received!.headers.host, new URL(server.url).host);
  assert.equal(received!.headers['x-fapi-interaction-id'], '93bac548-d2de-4546-b106-880a5018460d');
});

test('a large response is streamed: its first chunk arrives while the upstream is still writing', async () => {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const release = new PassThrough();
  let finished = false;
  const server = await upstreamServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.write(chunk);
    // The rest only once the test has seen the first chunk: a buffering client would wait forever.
    release.once('data', () => {
      for (let i = 0; i < 32; i++) res.write(chunk);
      res.end(() => (finished = true));
    });
  });
  const response = await client().forward({ upstreams: [{ url: server.url, weight: 1 }], method: 'GET', path: '/large', headers: {} });
  const [first] = (await once(response.body, 'data')) as [Buffer];
  assert.ok(first.length > 0);
  assert.equal(finished, false);
  release.write('go');
  let total = first.length;
  for await (const piece of response.body) total += (piece as Buffer).length;
  assert.equal(total, 33 * chunk.length);
});

test('a request body stream is sent as it comes, not buffered; a Buffer body arrives byte for byte', async () => {
  const server = await upstreamServer((req, res) => {
    const hash = createHash('sha256');
    req.on('data', (piece: Buffer) => {
      hash.update(piece);
      firstChunkSeen.write('seen');
    });
    req.on('end', () => res.end(hash.digest('hex')));
  });
  const firstChunkSeen = new PassThrough();
  const upstream = client();

  const body = new PassThrough();
  const forwarded = upstream.forward({ upstreams: [{ url: server.url, weight: 1 }], method: 'POST', path: '/upload', headers: { 'content-type': 'application/octet-stream' }, body });
  body.write(Buffer.from('first'));
  // The upstream has the first chunk before the body ends: it was not held back to be buffered.
  await once(firstChunkSeen, 'data');
  body.end(Buffer.from('-second'));
  const streamed = await forwarded;
  assert.equal(await text(streamed.body), createHash('sha256').update('first-second').digest('hex'));

  const large = randomBytes(1024 * 1024);
  const buffered = await upstream.forward({ upstreams: [{ url: server.url, weight: 1 }], method: 'POST', path: '/upload', headers: { 'content-length': String(large.length) }, body: large });
  assert.equal(await text(buffered.body), createHash('sha256').update(large).digest('hex'));
});

test('hop-by-hop headers are stripped both ways, with those Connection names; host and a forged identity are not forwarded', async () => {
  const server = await upstreamServer((_req, res) => {
    res.setHeader('connection', 'x-internal');
    res.setHeader('x-internal', 'upstream-only');
    res.setHeader('keep-alive', 'timeout=5');
    res.setHeader('proxy-authenticate', 'Basic realm="core"');
    res.setHeader('trailer', 'x-checksum');
    res.setHeader('upgrade', 'h2c');
    res.setHeader('x-kept', 'yes');
    res.addTrailers({ 'x-checksum': 'abc' });
    res.end('ok');
  });
  const response = await client().forward({
    upstreams: [{ url: server.url, weight: 1 }],
    method: 'GET',
    path: '/',
    headers: {
      host: 'gateway.example',
      connection: 'keep-alive, x-hop',
      'x-hop': 'gateway-only',
      'keep-alive': 'timeout=5',
      'proxy-connection': 'keep-alive',
      'proxy-authorization': 'Basic c2VjcmV0',
      te: 'trailers',
      trailer: 'x-checksum',
      'transfer-encoding': 'chunked',
      upgrade: 'websocket',
      expect: '100-continue',
      [CALLER_IDENTITY_HEADER]: 'forged',
      'x-kept': 'yes',
    },
  });
  assert.equal(await text(response.body), 'ok');
  const sent = server.received[0]!.headers;
  for (const name of ['x-hop', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect', CALLER_IDENTITY_HEADER]) {
    assert.equal(sent[name], undefined, `${name} reached the upstream`);
  }
  assert.notEqual(sent.connection, 'keep-alive, x-hop', 'the caller’s Connection is not forwarded (undici sends its own)');
  assert.equal(sent.host, new URL(server.url).host);
  assert.equal(sent['x-kept'], 'yes');
  for (const name of ['connection', 'x-internal', 'keep-alive', 'proxy-authenticate', 'trailer', 'transfer-encoding', 'upgrade']) {
    assert.equal(response.headers[name], undefined, `${name} came back from the upstream`);
  }
  assert.equal(response.headers['x-kept'], 'yes');
});

test('targets share calls by weight (90/10 over 1000 calls), over reused keep-alive connections', async () => {
  const stable = await upstreamServer((_req, res) => res.end('stable'));
  const canary = await upstreamServer((_req, res) => res.end('canary'));
  const upstream = client(seededRandom(20261204));
  for (let i = 0; i < 1000; i++) {
    const response = await upstream.forward({ upstreams: [{ url: stable.url, weight: 90 }, { url: canary.url, weight: 10 }], method: 'GET', path: '/', headers: {} });
    await text(response.body);
  }
  assert.equal(stable.received.length + canary.received.length, 1000);
  assert.ok(canary.received.length >= 70 && canary.received.length <= 130, `the canary took ${canary.received.length} of 1000`);
  // undici may open a second connection while the first is finishing a response; never one per call.
  assert.ok(stable.connections() <= 3, `${stable.connections()} connections to the stable target`);
  assert.ok(canary.connections() <= 3, `${canary.connections()} connections to the canary`);
});

test('a target of weight 0 takes no calls; upstreams without any weight are refused', async () => {
  const drained = await upstreamServer((_req, res) => res.end('drained'));
  const live = await upstreamServer((_req, res) => res.end('live'));
  const upstream = client(seededRandom(7));
  for (let i = 0; i < 20; i++) {
    const response = await upstream.forward({ upstreams: [{ url: drained.url, weight: 0 }, { url: live.url, weight: 1 }], method: 'GET', path: '/', headers: {} });
    assert.equal(await text(response.body), 'live');
  }
  assert.equal(drained.received.length, 0);
  await assert.rejects(upstream.forward({ upstreams: [{ url: drained.url, weight: 0 }], method: 'GET', path: '/', headers: {} }), RangeError);
});

test('traceparent and tracestate pass through; a missing or invalid traceparent is replaced by a new trace without tracestate', async () => {
  const server = await upstreamServer((_req, res) => res.end());
  const upstream = client();
  const send = async (headers: Record<string, string>) => {
    await text((await upstream.forward({ upstreams: [{ url: server.url, weight: 1 }], method: 'GET', path: '/', headers })).body);
    return server.received.at(-1)!.headers;
  };
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const kept = await send({ traceparent, tracestate: 'rojo=00f067aa0ba902b7' });
  assert.equal(kept.traceparent, traceparent);
  assert.equal(kept.tracestate, 'rojo=00f067aa0ba902b7');

  const generated = await send({});
  assert.match(generated.traceparent as string, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  const another = await send({});
  assert.notEqual(another.traceparent, generated.traceparent, 'each call starts its own trace');

  for (const invalid of ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra']) {
    const replaced = await send({ traceparent: invalid, tracestate: 'rojo=1' });
    assert.match(replaced.traceparent as string, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/, invalid);
    assert.equal(replaced.tracestate, undefined, 'tracestate without a valid traceparent is discarded (W3C Trace Context §4.3)');
  }
  const future = await send({ traceparent: '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more', tracestate: 'rojo=1' });
  assert.equal(future.traceparent, '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more', 'a later version may carry more fields (§3.2.4)');
});

test('the caller identity is signed for the chosen target and verifies there', async () => {
  const server = await upstreamServer((_req, res) => res.end());
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwks = { keys: [{ ...(publicKey.export({ format: 'jwk' }) as JWK), kid: 'gw-1', alg: 'ES256' }] };
  const audiences: string[] = [];
  const response = await client().forward({
    upstreams: [{ url: server.url, weight: 1 }],
    method: 'GET',
    path: '/accounts',
    headers: { [CALLER_IDENTITY_HEADER]: 'forged' },
    identity: (targetUrl) => {
      audiences.push(targetUrl);
      return signCallerIdentity({ clientId: 'partner-1', consentId: 'aac-1', accountIds: ['22289'], scopes: ['accounts'], apiId: 'api-ob', routeId: 'route-accounts' }, { key: privateKey, kid: 'gw-1', alg: 'ES256', issuer: 'https://gateway.example', audience: targetUrl, ttlSeconds: 60, clock: systemClock });
    },
  });
  await text(response.body);
  assert.deepEqual(audiences, [server.url]);
  const header = server.received[0]!.headers[CALLER_IDENTITY_HEADER];
  assert.equal(typeof header, 'string');
  assert.notEqual(header, 'forged');
  const caller = await verifyCallerIdentity(header as string, { jwks, issuer: 'https://gateway.example', audience: server.url, clock: systemClock });
  assert.deepEqual(caller, { clientId: 'partner-1', consentId: 'aac-1', accountIds: ['22289'], scopes: ['accounts'], apiId: 'api-ob', routeId: 'route-accounts' });
});
