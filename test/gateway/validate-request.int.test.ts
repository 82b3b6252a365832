import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { addTestApi } from '../helpers/gateway-catalogue.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

/*
 * A route with `validateRequest` is checked against its API's OpenAPI document before anything is
 * forwarded: a conforming request reaches the upstream byte for byte; anything else is 400
 * `validation-failed` listing each problem (415 for another media type, 413 past the body limit),
 * and the upstream never sees it. OpenAPI 3.1 (JSON Schema 2020-12) and 3.0 (`nullable`) both.
 */

let app: TestPortcullis;
let upstream: UpstreamServer;
let call: typeof fetch;
const base31 = `/shop-${randomUUID().slice(0, 8)}/v1`;
const base30 = `/legacy-${randomUUID().slice(0, 8)}/v1`;

const openapi31 = {
  openapi: '3.1.0', info: { title: 'Shop', version: '1' },
  paths: {
    '/orders': {
      post: {
        parameters: [{ in: 'query', name: 'channel', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
      },
    },
  },
  components: {
    schemas: {
      Order: { type: 'object', required: ['item', 'quantity'], additionalProperties: false, properties: { item: { type: 'string', minLength: 1 }, quantity: { type: 'integer', minimum: 1 }, note: { type: ['string', 'null'] } } },
    },
  },
};
const openapi30 = {
  openapi: '3.0.3', info: { title: 'Legacy', version: '1' },
  paths: { '/notes': { put: { requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string', nullable: true } } } } } } } } },
};

const send = (path: string, body: string | undefined, contentType = 'application/json', method = 'POST') =>
  call(`${app.urls.public}${path}`, { method, headers: body === undefined ? {} : { 'content-type': contentType }, ...(body === undefined ? {} : { body }) });

before(async () => {
  upstream = await startUpstreamServer();
  app = await startTestPortcullis();
  call = tlsFetch(app.caPem);
  const upstreams = [{ url: upstream.url, weight: 1 }];
  await addTestApi(app.db, app.events, { basePath: base31, authKind: 'none', upstreams, routes: [{ method: 'POST', path: '/orders', policy: { validateRequest: true } }] });
  const { id } = await addTestApi(app.db, app.events, { basePath: base30, authKind: 'none', upstreams, routes: [{ method: 'PUT', path: '/notes', policy: { validateRequest: true } }] });
  await app.db('gateway_apis').where({ id }).update({ openapi: JSON.stringify(openapi30) });
  await app.db('gateway_apis').where({ base_path: base31 }).update({ openapi: JSON.stringify(openapi31) });
  app.events.emit('api.changed', { apiId: id, change: 'updated', actor: 'ops' });
  const deadline = Date.now() + 2000;
  while ((await send(`${base30}/notes`, '{"text":null}', 'application/json', 'PUT')).status !== 200) {
    assert.ok(Date.now() < deadline, 'the APIs are routed');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});
after(async () => {
  await app?.close();
  await upstream?.close();
});

test(`a conforming request reaches the upstream as it was sent (${storeKind})`, async () => {
  const body = '{ "item": "tea", "quantity": 2, "note": null }';
  const response = await send(`${base31}/orders?channel=web`, body);
  assert.equal(response.status, 200);
  const seen = upstream.seen.at(-1)!;
  assert.equal(seen.url, '/orders?channel=web');
  assert.equal(seen.body, body);
});

test(`a request that does not conform is 400 listing every problem, and never forwarded (${storeKind})`, async () => {
  const before = upstream.seen.length;
  const response = await send(`${base31}/orders`, JSON.stringify({ quantity: 0, colour: 'red' }));
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  const problem = await response.json() as { type: string; errors: Array<{ path: string; message: string }> };
  assert.match(problem.type, /\/docs\/problems\/validation-failed$/);
  assert.deepEqual(problem.errors.map((error) => error.path).sort(), ['body.colour', 'body.item', 'body.quantity', 'query.channel']);

  assert.equal((await send(`${base31}/orders?channel=web`, '{"item": "tea", "quan')).status, 400, 'not JSON');
  assert.equal((await send(`${base31}/orders?channel=web`, 'item=tea', 'application/x-www-form-urlencoded')).status, 415);
  assert.equal((await send(`${base31}/orders?channel=web`, undefined)).status, 400, 'the body is required');
  assert.equal((await send(`${base31}/orders?channel=web`, JSON.stringify({ item: 'x'.repeat(1024 * 1024), quantity: 1 }))).status, 413);
  assert.equal((await send(`${base30}/notes`, '{"text": 5}', 'application/json', 'PUT')).status, 400, 'OpenAPI 3.0 schemas too');
  assert.equal(upstream.seen.length, before, 'nothing reached the upstream');
});
