import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';
import Koa from 'koa';

import type { GatewayApi } from '../../src/gateway/catalogue/catalogue.types.ts';
import { createRateLimits } from '../../src/gateway/limits/rate-limits.service.ts';
import type { CallFacts, GatewayDeps } from '../../src/gateway/pipeline/gateway-deps.ts';
import { publicGatewayPipeline } from '../../src/gateway/pipeline/gateway-pipeline.ts';
import { buildRouteTable } from '../../src/gateway/routing/route-table.ts';
import { verifyCallerIdentity } from '../../src/gateway/upstream/caller-identity.ts';
import { createUpstreamClient } from '../../src/gateway/upstream/upstream-client.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { addTestApi } from '../helpers/gateway-catalogue.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { accessTokenHash, dpopKey, dpopProof } from '../helpers/raw-oauth.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type SeenRequest, type UpstreamServer } from '../helpers/upstream-server.ts';
import { silentLogger } from './upstream/upstream-servers.ts';

/*
 * Step 7 through the real public listener: a composite route calls its parts in parallel, each as
 * the caller would call it directly (its own route's authentication, scopes, claim rules, limits
 * and upstream, with the caller's identity signed for each), and merges their JSON under their
 * names. A failed part fails the call (its 401, 403 or 429 passed on as it came, anything else 502
 * `part-failed` naming it and nothing more) or is left out and listed in `_errors`. A deprecated
 * part's Deprecation and Sunset come with the answer. Last, a part slower than its upstream
 * timeout, on a gateway built with short timeouts.
 */

const suffix = randomUUID().slice(0, 8);
const clinics = `/clinics-${suffix}/v1`;
const elsewhere = `/elsewhere-${suffix}/v1`;
const legacy = `/legacy-${suffix}/v0`;
const summary = `/summary-${suffix}/v1`;
const ISSUER = 'https://login.clinic-platform.example';
const AUDIENCE = 'clinic-platform';
const SLOW_MS = 300;
const SUNSET = new Date('2027-03-31T00:00:00Z');
const DEPRECATED = new Date('2026-09-01T00:00:00Z');
// The upstream's own trouble, which no caller may see.
const INTERNALS = 'pg: password authentication failed for user "billing" at db01.internal:5432';

let app: TestPortcullis;
let upstream: UpstreamServer;
let issuer: UpstreamServer;
let call: typeof fetch;
let sign: (claims: Record<string, unknown>, audience?: string) => Promise<string>;
const timings = new Map<string, { arrived: number; answered?: number }>();

const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

function answerClinic(request: SeenRequest, res: import('node:http').ServerResponse): void {
  const [, , clinicId, resource, n] = request.url.split('/');
  switch (resource) {
    case undefined: return json(res, 200, { id: clinicId, name: `Clinic ${clinicId}` });
    case 'doctors': return json(res, 200, [{ name: 'Dr Okafor' }, { name: 'Dr Lund' }]);
    case 'billing': return json(res, 200, { balance: 120 });
    case 'busy': return json(res, 200, { queue: 3 });
    case 'records': return json(res, 200, { records: [] });
    case 'broken':
      res.writeHead(500, { 'content-type': 'text/plain', 'x-upstream-node': 'db01' });
      return void res.end(INTERNALS);
    case 'plain':
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('all good');
    case 'denied': return json(res, 403, { reason: 'this clinic is closed to you' });
    case 'cut':
      // An answer broken off midway: a part reads its answer whole, so it never has one.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      return void res.write('{"partial": "', () => res.destroy());
    case 'slow': {
      const timing = { arrived: performance.now() } as { arrived: number; answered?: number };
      timings.set(request.url, timing);
      setTimeout(() => {
        timing.answered = performance.now();
        json(res, 200, { n: Number(n) });
      }, SLOW_MS);
      return;
    }
  }
  json(res, 404, {});
}

const get = (path: string, token?: string) => call(`${app.urls.public}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const part = (name: string, path: string) => ({ name, method: 'GET' as const, path });
const composite = (path: string, parts: ReturnType<typeof part>[], onPartFailure: 'fail' | 'omit') => ({ method: 'GET', path, policy: { aggregate: { parts, onPartFailure } } });
const oauth2 = (audience = AUDIENCE) => ({ oauth2: { issuer: ISSUER, jwksUri: `${issuer.url}/jwks`, audience } });
const clinicPart = part('clinic', `${clinics}/clinics/{clinicId}`);

before(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
  issuer = await startUpstreamServer((_request, res) => json(res, 200, jwks));
  sign = (claims, audience = AUDIENCE) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setAudience(audience).setIssuedAt().setExpirationTime('5m').sign(privateKey);
  upstream = await startUpstreamServer(answerClinic);
  app = await startTestPortcullis();
  call = tlsFetch(app.caPem);
  const upstreams = [{ url: upstream.url, weight: 1 }];
  const read = (scope: string) => ({ scopes: [scope] });
  await addTestApi(app.db, app.events, {
    basePath: clinics, authKind: 'oauth2', upstreams, settings: oauth2(),
    routes: [
      { method: 'GET', path: '/clinics/{clinicId}', policy: { scopes: ['clinics:read'], claims: [{ claim: 'org', equalsParam: 'clinicId' }] } },
      { method: 'GET', path: '/clinics/{clinicId}/doctors', policy: read('doctors:read') },
      { method: 'GET', path: '/clinics/{clinicId}/billing', policy: read('billing:read') },
      { method: 'GET', path: '/clinics/{clinicId}/busy', policy: { limits: { perMinute: 1 } } },
      { method: 'GET', path: '/clinics/{clinicId}/broken' },
      { method: 'GET', path: '/clinics/{clinicId}/plain' },
      { method: 'GET', path: '/clinics/{clinicId}/denied' },
      { method: 'GET', path: '/clinics/{clinicId}/cut' },
      { method: 'GET', path: '/clinics/{clinicId}/slow/{n}' },
    ],
  });
  await addTestApi(app.db, app.events, { basePath: elsewhere, authKind: 'oauth2', upstreams, settings: oauth2('another-audience'), routes: [{ method: 'GET', path: '/clinics/{clinicId}' }] });
  await addTestApi(app.db, app.events, {
    basePath: legacy, authKind: 'oauth2', upstreams, settings: oauth2(), lifecycle: 'deprecated', sunsetAt: SUNSET, deprecatedAt: DEPRECATED,
    routes: [{ method: 'GET', path: '/clinics/{clinicId}/records' }],
  });
  const p = (name: string, rest: string) => part(name, `${clinics}/clinics/{clinicId}${rest}`);
  await addTestApi(app.db, app.events, {
    basePath: summary, authKind: 'oauth2', upstreams: [], settings: oauth2(),
    routes: [
      composite('/clinics/{clinicId}/overview', [clinicPart, p('doctors', '/doctors')], 'fail'),
      composite('/clinics/{clinicId}/trio', [p('one', '/slow/1'), p('two', '/slow/2'), p('three', '/slow/3')], 'fail'),
      composite('/clinics/{clinicId}/billing', [clinicPart, p('billing', '/billing')], 'fail'),
      composite('/clinics/{clinicId}/busy', [clinicPart, p('busy', '/busy')], 'fail'),
      composite('/clinics/{clinicId}/broken', [clinicPart, p('broken', '/broken')], 'fail'),
      composite('/clinics/{clinicId}/plain', [clinicPart, p('plain', '/plain')], 'fail'),
      composite('/clinics/{clinicId}/denied', [clinicPart, p('denied', '/denied')], 'fail'),
      composite('/clinics/{clinicId}/cut', [clinicPart, p('cut', '/cut')], 'fail'),
      composite('/clinics/{clinicId}/unrouted', [clinicPart, p('missing', '/nowhere')], 'fail'),
      composite('/clinics/{clinicId}/nested', [clinicPart, part('overview', `${summary}/clinics/{clinicId}/overview`)], 'fail'),
      composite('/clinics/{clinicId}/audience', [clinicPart, part('elsewhere', `${elsewhere}/clinics/{clinicId}`)], 'fail'),
      composite('/clinics/{clinicId}/history', [clinicPart, part('records', `${legacy}/clinics/{clinicId}/records`)], 'fail'),
      composite('/clinics/{clinicId}/whatever-works', [clinicPart, p('broken', '/broken'), p('billing', '/billing'), p('plain', '/plain'), p('doctors', '/doctors')], 'omit'),
    ],
  });
  const token = await sign({ scope: 'clinics:read doctors:read', org: 'c1', client_id: `app-${randomUUID()}` });
  const deadline = Date.now() + 3000;
  while ((await get(`${summary}/clinics/c1/overview`, token)).status !== 200) {
    assert.ok(Date.now() < deadline, 'the APIs are routed');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});
after(async () => {
  await app?.close();
  await upstream?.close();
  await issuer?.close();
});

/** A token of a client of its own (its own limit counters), for clinic c1 unless told otherwise. */
const tokenFor = (scope: string, org = 'c1') => sign({ scope, org, client_id: `app-${randomUUID()}` });

async function problemOf(response: Response): Promise<Record<string, unknown>> {
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  const body = await response.json() as Record<string, unknown>;
  assert.match(String(body['instance']), /^urn:uuid:/);
  delete body['instance'];
  return body;
}

test(`the parts' JSON is merged under their names, each part called with the caller's identity signed for it (${storeKind})`, async () => {
  const clientId = `app-${randomUUID()}`;
  const before = upstream.seen.length;
  const response = await get(`${summary}/clinics/c1/overview`, await sign({ scope: 'clinics:read doctors:read', org: 'c1', client_id: clientId }));
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(await response.json(), { clinic: { id: 'c1', name: 'Clinic c1' }, doctors: [{ name: 'Dr Okafor' }, { name: 'Dr Lund' }] });

  const seen = upstream.seen.slice(before);
  assert.deepEqual(seen.map((request) => request.url).sort(), ['/clinics/c1', '/clinics/c1/doctors']);
  const jwks = await (await call(`${app.config.issuer}/jwks`)).json() as JSONWebKeySet;
  const routes = await app.db('gateway_routes').join('gateway_apis', 'gateway_apis.id', 'gateway_routes.api_id').where('gateway_apis.base_path', clinics).select('gateway_routes.id', 'path_template', 'api_id');
  for (const request of seen) {
    assert.equal(request.headers['authorization'], undefined, 'the token stays at the gateway');
    assert.equal(request.method, 'GET');
    const identity = await verifyCallerIdentity(String(request.headers['x-portcullis-identity']), { jwks, issuer: app.config.issuer, audience: upstream.url, clock: systemClock });
    const route = routes.find((candidate) => `/clinics/c1${candidate.path_template.slice('/clinics/{clinicId}'.length)}` === request.url)!;
    assert.deepEqual({ clientId: identity.clientId, scopes: identity.scopes?.sort(), apiId: identity.apiId, routeId: identity.routeId }, { clientId, scopes: ['clinics:read', 'doctors:read'], apiId: route.api_id, routeId: route.id }, 'signed for the part route');
  }
});

test(`the parts run side by side: each is in flight before any answers (${storeKind})`, async () => {
  const started = performance.now();
  const response = await get(`${summary}/clinics/c1/trio`, await tokenFor(''));
  const elapsed = performance.now() - started;
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { one: { n: 1 }, two: { n: 2 }, three: { n: 3 } });
  const trio = ['/clinics/c1/slow/1', '/clinics/c1/slow/2', '/clinics/c1/slow/3'].map((url) => timings.get(url)!);
  const lastArrival = Math.max(...trio.map((timing) => timing.arrived));
  const firstAnswer = Math.min(...trio.map((timing) => timing.answered!));
  assert.ok(lastArrival < firstAnswer, `every part reached the upstream before the first was answered (${lastArrival.toFixed(0)} vs ${firstAnswer.toFixed(0)})`);
  assert.ok(elapsed < 3 * SLOW_MS, `took ${elapsed.toFixed(0)} ms, not the ${3 * SLOW_MS} ms of one after another`);
});

test(`fail: a part refused by its own scope passes on its 403, and its upstream is not called (${storeKind})`, async () => {
  const before = upstream.seen.length;
  const response = await get(`${summary}/clinics/c1/billing`, await tokenFor('clinics:read'));
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('www-authenticate'), 'Bearer error="insufficient_scope", scope="billing:read"');
  assert.deepEqual(await problemOf(response), {
    type: `${app.config.issuer}/docs/problems/forbidden`, title: 'The caller may not do this', status: 403, detail: 'This route needs the scope billing:read',
  });
  assert.deepEqual(upstream.seen.slice(before).map((request) => request.url), ['/clinics/c1']);
});

test(`fail: a part's claim rule holds through the composite route: another clinic's caller gets 403 (${storeKind})`, async () => {
  const response = await get(`${summary}/clinics/c1/overview`, await tokenFor('clinics:read doctors:read', 'c2'));
  assert.equal(response.status, 403);
  assert.equal((await problemOf(response))['detail'], "The token's org does not match the {clinicId} of this path");
});

test(`fail: a part refused by its own limit passes on its 429 with Retry-After and the RateLimit headers (${storeKind})`, async () => {
  const token = await tokenFor('clinics:read');
  const before = upstream.seen.filter((request) => request.url === '/clinics/c1/busy').length;
  // One a minute: of three calls within a minute, at most two fall in different windows.
  let response!: Response;
  let admitted = 0;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    response = await get(`${summary}/clinics/c1/busy`, token);
    if (response.status !== 200) break;
    assert.deepEqual(await response.json(), { clinic: { id: 'c1', name: 'Clinic c1' }, busy: { queue: 3 } });
    admitted += 1;
  }
  assert.equal(response.status, 429);
  assert.ok(Number(response.headers.get('retry-after')) > 0);
  assert.match(response.headers.get('ratelimit-policy') ?? '', /q=1;w=60/);
  assert.deepEqual(await problemOf(response), { type: `${app.config.issuer}/docs/problems/rate-limited`, title: 'Rate limit exceeded', status: 429, detail: 'Too many requests; slow down' });
  assert.equal(upstream.seen.filter((request) => request.url === '/clinics/c1/busy').length - before, admitted, 'the refused part never reached its upstream');
});

test(`fail: a part whose API takes tokens for another audience passes on its 401 (${storeKind})`, async () => {
  const response = await get(`${summary}/clinics/c1/audience`, await tokenFor('clinics:read'));
  assert.equal(response.status, 401);
  assert.equal(response.headers.get('www-authenticate'), 'Bearer error="invalid_token", error_description="The access token is not for this API"');
  assert.equal((await problemOf(response))['type'], `${app.config.issuer}/docs/problems/unauthenticated`);
});

test(`fail: an upstream's own 403 is passed on as it came (${storeKind})`, async () => {
  const response = await get(`${summary}/clinics/c1/denied`, await tokenFor('clinics:read'));
  assert.equal(response.status, 403);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(await response.json(), { reason: 'this clinic is closed to you' });
});

test(`fail: any other failure is 502 part-failed naming the part, and nothing of the upstream's (${storeKind})`, async () => {
  const token = await tokenFor('clinics:read');
  for (const [path, name] of [['broken', 'broken'], ['plain', 'plain'], ['cut', 'cut'], ['unrouted', 'missing'], ['nested', 'overview']] as const) {
    const response = await get(`${summary}/clinics/c1/${path}`, token);
    assert.equal(response.status, 502, path);
    assert.equal(response.headers.get('x-upstream-node'), null, path);
    const text = await response.clone().text();
    assert.ok(!text.includes('db01') && !text.includes('password'), path);
    assert.deepEqual(await problemOf(response), {
      type: `${app.config.issuer}/docs/problems/part-failed`, title: 'A part of this composite route failed', status: 502,
      detail: `The part "${name}" of this route failed`, part: name,
    }, path);
  }
});

test(`omit: failed parts are left out and listed in _errors with their status (${storeKind})`, async () => {
  const response = await get(`${summary}/clinics/c1/whatever-works`, await tokenFor('clinics:read doctors:read'));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    clinic: { id: 'c1', name: 'Clinic c1' },
    doctors: [{ name: 'Dr Okafor' }, { name: 'Dr Lund' }],
    _errors: [{ name: 'broken', status: 500 }, { name: 'billing', status: 403 }, { name: 'plain', status: 502 }],
  });
});

test(`a deprecated part's Deprecation and Sunset come with the composite answer (${storeKind})`, async () => {
  const response = await get(`${summary}/clinics/c1/history`, await tokenFor('clinics:read'));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { clinic: { id: 'c1', name: 'Clinic c1' }, records: { records: [] } });
  assert.equal(response.headers.get('deprecation'), `@${DEPRECATED.getTime() / 1000}`);
  assert.equal(response.headers.get('sunset'), SUNSET.toUTCString());
  const current = await get(`${summary}/clinics/c1/overview`, await tokenFor('clinics:read doctors:read'));
  assert.equal(current.headers.get('sunset'), null, 'only when a part is deprecated');
});

test(`the composite route's own authentication comes first: no token is 401 and no part is called (${storeKind})`, async () => {
  const before = upstream.seen.length;
  const response = await get(`${summary}/clinics/c1/overview`);
  assert.equal(response.status, 401);
  assert.equal(response.headers.get('www-authenticate'), 'Bearer, DPoP algs="PS256 ES256 EdDSA"');
  assert.equal(upstream.seen.length, before);
});

test(`a DPoP-bound token's proof for the composite call stands for its parts; replayed, it is 401 and no part is called (${storeKind})`, async () => {
  const key = await dpopKey();
  const jwt = await sign({ scope: 'clinics:read doctors:read', org: 'c1', client_id: `app-${randomUUID()}`, cnf: { jkt: key.thumbprint } });
  const path = `${summary}/clinics/c1/overview`;
  const proof = await dpopProof(key, 'GET', `${app.config.gatewayBaseUrl}${path}`, { ath: accessTokenHash(jwt) });
  const withProof = () => call(`${app.urls.public}${path}`, { headers: { authorization: `DPoP ${jwt}`, dpop: proof } });
  const before = upstream.seen.length;
  const response = await withProof();
  assert.equal(response.status, 200, await response.clone().text());
  assert.deepEqual(await response.json(), { clinic: { id: 'c1', name: 'Clinic c1' }, doctors: [{ name: 'Dr Okafor' }, { name: 'Dr Lund' }] });
  assert.equal(upstream.seen.length, before + 2);

  const replayed = await withProof();
  assert.equal(replayed.status, 401);
  assert.equal(replayed.headers.get('www-authenticate'), 'DPoP error="invalid_dpop_proof", error_description="DPoP proof replayed", algs="PS256 ES256 EdDSA"');
  assert.equal(upstream.seen.length, before + 2);
});

describe('a part slower than its upstream timeout', () => {
  const HEADERS_TIMEOUT_MS = 1000;
  const records: CallFacts[] = [];
  let server: Server;
  let base: string;
  let slowUpstream: UpstreamServer;
  const answering: Array<() => void> = [];
  const hungUp: number[] = [];
  let closeAll = async () => {};

  const api = (id: string, basePath: string, routes: GatewayApi['routes'], upstreamUrl?: string): GatewayApi => ({
    id, name: id, version: 'v1', basePath, authKind: 'none', lifecycle: 'published', upstreams: upstreamUrl ? [{ url: upstreamUrl, weight: 1 }] : [],
    openapi: null, sunsetAt: null, deprecatedAt: null, successorApiId: null, settings: {}, routes,
  });

  before(async () => {
    // Answers /quick at once and holds /stalled until the test ends, noting when the gateway hangs up on it.
    slowUpstream = await startUpstreamServer((request, res) => {
      if (request.url === '/quick') return json(res, 200, { quick: true });
      res.once('close', () => hungUp.push(performance.now()));
      answering.push(() => res.destroy());
    });
    const routes = buildRouteTable({
      plans: [],
      apis: [
        api('backend', '/backend', [
          { id: 'quick', apiId: 'backend', method: 'GET', pathTemplate: '/quick', policy: {} },
          { id: 'stalled', apiId: 'backend', method: 'GET', pathTemplate: '/stalled', policy: {} },
        ], slowUpstream.url),
        api('front', '/front', [
          { id: 'fail', apiId: 'front', method: 'GET', pathTemplate: '/fail', policy: { aggregate: { parts: [part('quick', '/backend/quick'), part('stalled', '/backend/stalled')], onPartFailure: 'fail' } } },
          { id: 'omit', apiId: 'front', method: 'GET', pathTemplate: '/omit', policy: { aggregate: { parts: [part('quick', '/backend/quick'), part('stalled', '/backend/stalled')], onPartFailure: 'omit' } } },
        ]),
      ],
    });
    const upstreams = createUpstreamClient({ logger: silentLogger, timeouts: { connectMs: 1000, headersMs: HEADERS_TIMEOUT_MS, bodyMs: 1000 }, breaker: { consecutiveFailures: 100, halfOpenAfterMs: 10_000 }, retries: 0 });
    const deps: GatewayDeps = {
      routes: () => routes,
      credentials: { apiKey: () => assert.fail('no API key here'), bearer: () => assert.fail('no bearer here'), subscribedPlanIds: async () => [] },
      limits: createRateLimits({ keyPrefix: 'aggregate-test', onRedisFailure: 'open', clock: systemClock }),
      upstreams, signIdentity: () => () => 'identity', audit: { recordRequired: async () => {} }, record: (facts) => void records.push(facts),
      publicBaseUrl: 'https://gateway.example', maxBodyBytes: 1024, clock: systemClock, logger: silentLogger,
    };
    const koa = new Koa();
    koa.use(publicGatewayPipeline(deps, 'https://gateway.example/docs/problems/'));
    server = createServer(koa.callback()).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closeAll = async () => {
      for (const answer of answering) answer();
      server.closeAllConnections();
      server.close();
      await upstreams.close();
      await slowUpstream.close();
    };
  });
  after(() => closeAll());

  test('fail: 502 naming the part, as soon as its timeout passes', async () => {
    const started = performance.now();
    const response = await fetch(`${base}/front/fail`);
    const elapsed = performance.now() - started;
    assert.equal(response.status, 502);
    const problem = await response.json() as Record<string, unknown>;
    assert.equal(problem['part'], 'stalled');
    assert.ok(elapsed >= HEADERS_TIMEOUT_MS && elapsed < HEADERS_TIMEOUT_MS + 2000, `${elapsed.toFixed(0)} ms`);
  });

  test('omit: the other parts answer, the slow one listed with its 504; each part is recorded as a call of its own', async () => {
    records.length = 0;
    const response = await fetch(`${base}/front/omit`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { quick: { quick: true }, _errors: [{ name: 'stalled', status: 504 }] });
    // The composite call is recorded once its response is finished: after its parts.
    const deadline = Date.now() + 1000;
    while (records.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(records.map((facts) => [facts.routeId, facts.status]).sort(), [['omit', 200], ['quick', 200], ['stalled', 504]]);
  });

  test('a caller that goes away takes its parts\' upstream calls with it', async () => {
    records.length = 0;
    const stalledBefore = slowUpstream.seen.filter((request) => request.url === '/stalled').length;
    const hungUpBefore = hungUp.length;
    const leaving = new AbortController();
    const calling = fetch(`${base}/front/omit`, { signal: leaving.signal }).catch((error: unknown) => error);
    while (slowUpstream.seen.filter((request) => request.url === '/stalled').length === stalledBefore) await new Promise((resolve) => setTimeout(resolve, 5));
    const leftAt = performance.now();
    leaving.abort();
    await calling;
    while (hungUp.length === hungUpBefore) {
      assert.ok(performance.now() - leftAt < HEADERS_TIMEOUT_MS / 2, 'the part\'s upstream call ends with its caller, not at its timeout');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const deadline = Date.now() + 1000;
    while (records.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(records.find((facts) => facts.routeId === 'omit')?.status, 499);
  });
});
