import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import Koa from 'koa';
import { errors } from 'oidc-provider';
import { pino } from 'pino';

import { defaults } from '../../src/config/defaults.ts';
import { sendOAuthError } from '../../src/shared/oauth-error-response.ts';
import { TemporarilyUnavailable } from '../../src/shared/temporarily-unavailable.ts';
import { refusedStoreError } from '../helpers/unreachable-database.ts';

interface LogLine {
  level: number;
  msg: string;
  path?: string;
  err?: { message: string };
}

const logLines: LogLine[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as LogLine) });

let refused: unknown;
let server: Server;
let base: string;

before(async () => {
  refused = await refusedStoreError();
  const thrown: Record<string, () => unknown> = {
    '/store-refused': () => refused,
    '/already-translated': () => new TemporarilyUnavailable({ cause: refused }),
    '/replay-check-failed': () => new Error('could not record the jti', { cause: refused }),
    '/bad-request-with-store-cause': () => new errors.InvalidRequest('registration requests are application/jwt or application/json', undefined, { cause: refused }),
    '/bug': () => new TypeError('x is not a function'),
  };
  const app = new Koa();
  app.use(async function endpoint(ctx) {
    sendOAuthError(ctx, thrown[ctx.path]!(), logger);
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

async function answer(path: string) {
  const response = await fetch(`${base}${path}`, { method: 'POST' });
  return { status: response.status, headers: response.headers, body: await response.json() as Record<string, unknown> };
}

test('a store outage is 503 temporarily_unavailable with Retry-After and no-store, logged with its cause', async () => {
  for (const path of ['/store-refused', '/already-translated', '/replay-check-failed']) {
    const { status, headers, body } = await answer(path);
    assert.equal(status, 503, path);
    assert.equal(headers.get('retry-after'), String(defaults.store.retryAfter), path);
    assert.equal(headers.get('cache-control'), 'no-store', path);
    assert.equal(headers.get('content-type'), 'application/json; charset=utf-8', path);
    assert.deepEqual(body, { error: 'temporarily_unavailable', error_description: 'the service is temporarily unavailable, try again later' }, path);
    const log = logLines.findLast((line) => line.path === path);
    assert.equal(log?.msg, 'store.unavailable', path);
    assert.match(JSON.stringify(log), /ECONNREFUSED/, `${path}: the log keeps what the answer hides`);
  }
});

test("a client's mistake stays a 400 even when a store failure is its cause; a bug stays a bare 500", async () => {
  const bad = await answer('/bad-request-with-store-cause');
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get('retry-after'), null);
  assert.deepEqual(bad.body, { error: 'invalid_request', error_description: 'registration requests are application/jwt or application/json' });

  const bug = await answer('/bug');
  assert.equal(bug.status, 500);
  assert.equal(bug.headers.get('retry-after'), null);
  assert.deepEqual(bug.body, { error: 'server_error', error_description: 'oops! something went wrong' });
});
