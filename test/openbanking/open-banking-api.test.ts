import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import Koa from 'koa';
import { pino } from 'pino';

import { openBankingApi } from '../../src/openbanking/open-banking-api.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';

/*
 * One `/open-banking/` route table, whatever APIs register in it: an API registered after another
 * is reached (the first does not answer 404 for paths it does not own), and only the table answers
 * for what no API has.
 */

const CONSENTS = '/open-banking/v3.1/aisp/account-access-consents';
const ACCOUNTS = '/open-banking/v3.1/aisp/accounts';

let server: Server;
let base: string;
before(async () => {
  const app = new Koa();
  app.use(openBankingApi(pino({ level: 'silent' }), [
    (router) => void router.post(CONSENTS, (ctx) => void (ctx.body = { api: 'consents' })),
    (router) => void router.get(ACCOUNTS, (ctx) => void (ctx.body = { api: 'accounts' })),
  ]));
  app.use((ctx) => void (ctx.body = { passedThrough: ctx.path }));
  server = createServer(app.callback()).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

async function call(method: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { method, headers });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

test('an API registered after another is reached', async () => {
  assert.deepEqual((await call('POST', CONSENTS)).json, { api: 'consents' });
  assert.deepEqual((await call('GET', ACCOUNTS)).json, { api: 'accounts' });
});

test('a path no API has is 404 and a method a path lacks is 405 with Allow, in OBErrorResponse1', async () => {
  const missing = await call('GET', '/open-banking/v3.1/aisp/offers');
  assert.equal(missing.status, 404);
  assertMatchesObSchema('account-info', 'OBErrorResponse1', missing.json);
  assert.equal((missing.json['Errors'] as Array<{ ErrorCode: string }>)[0]!.ErrorCode, 'UK.OBIE.Resource.NotFound');

  const wrongMethod = await call('DELETE', ACCOUNTS);
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get('allow'), 'HEAD, GET');
  assertMatchesObSchema('account-info', 'OBErrorResponse1', wrongMethod.json);
});

test('the shared steps run for every API: JSON only, FAPI headers checked', async () => {
  assert.equal((await call('GET', ACCOUNTS, { accept: 'application/xml' })).status, 406);
  assert.equal((await call('GET', ACCOUNTS, { accept: 'application/json;q=0, text/html' })).status, 406);
  assert.equal((await call('GET', ACCOUNTS, { accept: '' })).status, 200, 'an empty Accept is taken as none');
  for (const accept of ['application/json', '*/*', 'application/json, */*', 'application/*;q=0.5', 'text/html, application/json;q=0.1']) {
    assert.equal((await call('GET', ACCOUNTS, { accept })).status, 200, accept);
  }
  assert.equal((await call('GET', ACCOUNTS, { 'x-fapi-interaction-id': 'not-a-uuid' })).status, 400);
});

test('paths outside /open-banking/ pass through untouched', async () => {
  assert.deepEqual((await call('GET', '/token')).json, { passedThrough: '/token' });
});

test('a path the table lacks goes to `unrouted`, after the shared steps; a table path with another method is still 405', async () => {
  const app = new Koa();
  const reached: string[] = [];
  app.use(openBankingApi(pino({ level: 'silent' }), [(router) => void router.post(CONSENTS, (ctx) => void (ctx.body = { api: 'consents' }))], {
    unrouted: (ctx) => {
      reached.push(`${ctx.method} ${ctx.path}`);
      ctx.body = { api: 'resources' };
    },
  }));
  const other = createServer(app.callback()).listen(0, '127.0.0.1');
  await once(other, 'listening');
  try {
    const at = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    assert.deepEqual(await (await fetch(`${at}${ACCOUNTS}`)).json(), { api: 'resources' });
    assert.equal((await fetch(`${at}${ACCOUNTS}`, { headers: { accept: 'text/html' } })).status, 406);
    const wrongMethod = await fetch(`${at}${CONSENTS}`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
    assert.deepEqual(await (await fetch(`${at}${CONSENTS}`, { method: 'POST' })).json(), { api: 'consents' });
    assert.deepEqual(reached, [`GET ${ACCOUNTS}`]);
  } finally {
    other.close();
  }
});
