import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import Koa from 'koa';
import { errors } from 'oidc-provider';
import { pino } from 'pino';

import { defaults } from '../../src/config/defaults.ts';
import { MailUnavailable } from '../../src/portal/mail/mail-unavailable.ts';
import { fapiInteractionId } from '../../src/shared/fapi-interaction-id.ts';
import { renderBrowserErrors } from '../../src/shared/render-browser-errors.ts';
import { TemporarilyUnavailable } from '../../src/shared/temporarily-unavailable.ts';
import { refusedStoreError } from '../helpers/unreachable-database.ts';

interface LogLine {
  level: number;
  msg: string;
  path?: string;
  interactionId?: string;
  err?: { message: string };
}

const ERROR = 50;
const OUTAGE_PAGE = /<p>This service is temporarily unavailable\. Please try again in a minute\.<\/p>/;

const logLines: LogLine[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as LogLine) });

let refused: unknown;
let server: Server;
let base: string;

before(async () => {
  refused = await refusedStoreError();
  const app = new Koa();
  app.use(fapiInteractionId);
  app.use(renderBrowserErrors(logger));
  app.use(async function pages(ctx) {
    switch (ctx.path) {
      case '/store-refused':
        throw refused;
      case '/provider-outage':
        throw new TemporarilyUnavailable({ cause: refused });
      case '/page-service-failed':
        throw new Error('could not list the connected apps', { cause: refused });
      case '/expired-with-store-cause':
        throw new errors.SessionNotFound('this sign-in page has expired; start again from the app', undefined, { cause: refused });
      case '/mail-timed-out':
        // nodemailer's code is a socket code that a store outage has too.
        throw new MailUnavailable('ETIMEDOUT', { cause: Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }) });
      case '/bug':
        throw new TypeError("Cannot read properties of undefined (reading 'uid')");
    }
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

async function page(path: string) {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, headers: response.headers, html: await response.text() };
}

test('a store outage is the error page with 503, Retry-After and words for a customer, whoever threw it', async () => {
  for (const path of ['/store-refused', '/provider-outage', '/page-service-failed']) {
    const answer = await page(path);
    assert.equal(answer.status, 503, path);
    assert.equal(answer.headers.get('retry-after'), String(defaults.store.retryAfter), path);
    assert.equal(answer.headers.get('cache-control'), 'no-store', path);
    assert.equal(answer.headers.get('content-type'), 'text/html; charset=utf-8', path);
    assert.match(answer.html, OUTAGE_PAGE, path);
    assert.doesNotMatch(answer.html, /ECONNREFUSED|127\.0\.0\.1|temporarily_unavailable|Error code/, `${path}: neither the driver nor a protocol code shows`);
    const log = logLines.findLast((line) => line.path === path);
    assert.equal(log?.msg, 'store.unavailable', path);
    assert.equal(log?.level, ERROR);
    assert.match(log?.interactionId ?? '', /^[0-9a-f-]{36}$/);
  }
});

test('a client error caused by a store failure keeps its status and words', async () => {
  const answer = await page('/expired-with-store-cause');
  assert.equal(answer.status, 400);
  assert.equal(answer.headers.get('retry-after'), null);
  assert.match(answer.html, /this sign-in page has expired; start again from the app/);
});

test('any other failure stays a 500 without Retry-After', async () => {
  const answer = await page('/bug');
  assert.equal(answer.status, 500);
  assert.equal(answer.headers.get('retry-after'), null);
  assert.match(answer.html, /We could not complete your request\. Please try again later\./);
  assert.doesNotMatch(answer.html, OUTAGE_PAGE);
});

test('a mail outage is the error page with 503, its Retry-After and its words, logged as a server error, never taken for a store outage', async () => {
  const answer = await page('/mail-timed-out');
  assert.equal(answer.status, 503);
  assert.equal(answer.headers.get('retry-after'), '60');
  assert.match(answer.html, /<p>We could not send the mail just now\. Please try again in a minute\.<\/p>/);
  assert.doesNotMatch(answer.html, /ETIMEDOUT|Greeting|at .*\.ts/, 'neither the code, the server\'s words nor a stack shows');
  assert.doesNotMatch(answer.html, OUTAGE_PAGE);
  const log = logLines.findLast((line) => line.path === '/mail-timed-out');
  assert.equal(log?.msg, 'browser.server_error');
  assert.equal(log?.level, ERROR);
});
