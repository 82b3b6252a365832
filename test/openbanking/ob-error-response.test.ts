import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { pino } from 'pino';

import { defaults } from '../../src/config/defaults.ts';
import { ObError, badRequest } from '../../src/openbanking/ob-error.ts';
import { renderObErrors } from '../../src/openbanking/ob-error-response.ts';
import { fapiInteractionId } from '../../src/shared/fapi-interaction-id.ts';
import { TemporarilyUnavailable } from '../../src/shared/temporarily-unavailable.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';
import { refusedStoreError } from '../helpers/unreachable-database.ts';

interface LogLine {
  level: number;
  msg: string;
  id?: string;
  status?: number;
  interactionId?: string;
  codes?: string[];
  paths?: string[];
  err?: { message: string };
}

const INFO = 30;
const ERROR = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SECRET = 'relation "consents" does not exist: SELECT * FROM consents WHERE partner_secret = $1';

const logLines: LogLine[] = [];
/** What a real store throws when the database refuses connections. */
let refused: unknown;
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as LogLine) });

const app = new Koa();
app.use(fapiInteractionId);
app.use(renderObErrors(logger));
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1kb' }));
app.use(async function routes(ctx) {
  switch (ctx.path) {
    case '/consents':
      ctx.body = { received: ctx.request.body };
      return;
    case '/invalid-consent':
      ctx.set('x-handled-by', 'invalid-consent');
      ctx.type = 'application/problem+json';
      throw new ObError(400, [
        { ErrorCode: 'UK.OBIE.Field.Missing', Message: 'Data.Initiation.InstructedAmount.Currency is missing', Path: 'Data.Initiation.InstructedAmount.Currency' },
        { ErrorCode: 'UK.OBIE.Field.Unexpected', Message: 'Data.Foo is not allowed here', Path: 'Data.Foo' },
      ]);
    case '/missing-consent':
      throw badRequest('UK.OBIE.Resource.NotFound', 'No consent aac-1 exists for this client', 'ConsentId');
    case '/unauthorized':
      throw new ObError(401, [{ ErrorCode: 'UK.OBIE.Header.Missing', Message: 'An access token is required', Path: 'Authorization' }], {
        headers: { 'WWW-Authenticate': 'Bearer, DPoP' },
      });
    case '/forbidden':
      throw new ObError(403, [{ ErrorCode: 'UK.OBIE.Resource.InvalidConsentStatus', Message: 'The consent is Rejected' }]);
    case '/unavailable':
      throw new ObError(503, [{ ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'pool of db-primary.internal:5432 exhausted' }], {
        cause: new Error(SECRET),
        headers: { 'Retry-After': '30' },
      });
    case '/crash':
      throw new Error(SECRET);
    case '/store-refused':
      throw refused;
    case '/store-down-in-service':
      throw new ObError(500, [{ ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'saving the consent failed' }], { cause: refused });
    case '/token-lookup-down':
      throw new TemporarilyUnavailable({ cause: refused });
    case '/client-mistake-store-down':
      throw new ObError(400, [{ ErrorCode: 'UK.OBIE.Field.Invalid', Message: 'Data.Permissions is not valid', Path: 'Data.Permissions' }], { cause: refused });
    case '/gone':
      return ctx.throw(404, SECRET);
    case '/method':
      return ctx.throw(405, SECRET);
    case '/media-type':
      return ctx.throw(415, SECRET);
  }
});

let server: Server;
let base: string;

before(async () => {
  refused = await refusedStoreError();
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
});

interface ObErrorBody {
  Code: string;
  Id: string;
  Message: string;
  Errors: unknown[];
}

/** Sends the request and checks what every OB error response shares; returns the body and log line. */
async function obError(path: string, init: RequestInit = {}): Promise<{ response: Response; body: ObErrorBody; log: LogLine }> {
  const interactionId = crypto.randomUUID();
  const response = await fetch(`${base}${path}`, { ...init, headers: { 'x-fapi-interaction-id': interactionId, ...init.headers } });
  assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.equal(response.headers.get('x-fapi-interaction-id'), interactionId, 'the interaction id set before the error survives it');
  const text = await response.text();
  assert.ok(!text.includes('exhausted') && !text.includes('SELECT') && !text.includes('stack'), `no internals in ${text}`);
  const body = JSON.parse(text) as ObErrorBody;
  assertMatchesObSchema('account-info', 'OBErrorResponse1', body);
  assert.deepEqual(Object.keys(body), ['Code', 'Id', 'Message', 'Errors']);
  assert.match(body.Id, UUID);
  const log = logLines.find((line) => line.id === body.Id);
  assert.ok(log, 'the error is logged with the Id the TPP sees');
  assert.equal(log.msg, 'consent_api.error');
  assert.equal(log.interactionId, interactionId);
  assert.equal(log.status, response.status);
  return { response, body, log };
}

test('an ObError is sent with its status and Errors, each response with a fresh Id', async () => {
  const { response, body, log } = await obError('/invalid-consent');
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('x-handled-by'), 'invalid-consent', 'headers set before the error are kept');
  assert.deepEqual(body, {
    Code: '400 BadRequest',
    Id: body.Id,
    Message: 'The request has 2 errors, listed in Errors',
    Errors: [
      { ErrorCode: 'UK.OBIE.Field.Missing', Message: 'Data.Initiation.InstructedAmount.Currency is missing', Path: 'Data.Initiation.InstructedAmount.Currency' },
      { ErrorCode: 'UK.OBIE.Field.Unexpected', Message: 'Data.Foo is not allowed here', Path: 'Data.Foo' },
    ],
  });
  assert.equal(log.level, INFO);
  assert.deepEqual(log.codes, ['UK.OBIE.Field.Missing', 'UK.OBIE.Field.Unexpected']);
  assert.deepEqual(log.paths, ['Data.Initiation.InstructedAmount.Currency', 'Data.Foo']);

  const again = await obError('/invalid-consent');
  assert.notEqual(again.body.Id, body.Id);
});

test('a single error is also the one-line Message', async () => {
  const { response, body } = await obError('/missing-consent');
  assert.equal(response.status, 400);
  assert.deepEqual(body, {
    Code: '400 BadRequest',
    Id: body.Id,
    Message: 'No consent aac-1 exists for this client',
    Errors: [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: 'No consent aac-1 exists for this client', Path: 'ConsentId' }],
  });
});

test('a 401 carries the WWW-Authenticate of its ObError; a 403 carries none', async () => {
  const unauthorized = await obError('/unauthorized');
  assert.equal(unauthorized.response.status, 401);
  assert.equal(unauthorized.response.headers.get('www-authenticate'), 'Bearer, DPoP');
  assert.deepEqual(unauthorized.body, {
    Code: '401 Unauthorized',
    Id: unauthorized.body.Id,
    Message: 'An access token is required',
    Errors: [{ ErrorCode: 'UK.OBIE.Header.Missing', Message: 'An access token is required', Path: 'Authorization' }],
  });

  const forbidden = await obError('/forbidden');
  assert.equal(forbidden.response.status, 403);
  assert.equal(forbidden.response.headers.get('www-authenticate'), null);
  assert.equal(forbidden.body.Code, '403 Forbidden');
});

test('a 5xx ObError keeps its status and headers but not its words', async () => {
  const { response, body, log } = await obError('/unavailable');
  assert.equal(response.status, 503);
  assert.equal(response.headers.get('retry-after'), '30');
  assert.deepEqual(body, {
    Code: '503 ServiceUnavailable',
    Id: body.Id,
    Message: 'An unexpected error occurred',
    Errors: [{ ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'An unexpected error occurred' }],
  });
  assert.equal(log.level, ERROR);
  assert.match(log.err?.message ?? '', /exhausted/, 'the log keeps what the response hides');
});

test('a store outage is 503 with Retry-After and its own words, whoever threw it, logged with the driver error', async () => {
  for (const path of ['/store-refused', '/store-down-in-service', '/token-lookup-down']) {
    const { response, body, log } = await obError(path);
    assert.equal(response.status, 503, path);
    assert.equal(response.headers.get('retry-after'), String(defaults.store.retryAfter), path);
    const message = 'The service is temporarily unavailable; try again later';
    assert.deepEqual(body, { Code: '503 ServiceUnavailable', Id: body.Id, Message: message, Errors: [{ ErrorCode: 'UK.OBIE.UnexpectedError', Message: message }] }, path);
    assert.equal(log.level, ERROR);
    assert.match(JSON.stringify(log.err), /ECONNREFUSED/, `${path}: the log keeps what the response hides`);
  }
});

test("a client's mistake is answered as such even when a store failure is its cause", async () => {
  const { response, body } = await obError('/client-mistake-store-down');
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('retry-after'), null);
  assert.equal(body.Code, '400 BadRequest');
});

test('any other error is a bare 500, logged in full', async () => {
  const { response, body, log } = await obError('/crash');
  assert.equal(response.status, 500);
  assert.deepEqual(body, {
    Code: '500 InternalServerError',
    Id: body.Id,
    Message: 'An unexpected error occurred',
    Errors: [{ ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'An unexpected error occurred' }],
  });
  assert.equal(log.level, ERROR);
  assert.equal(log.err?.message, SECRET);
});

test('a body that is not JSON is 400 UK.OBIE.Resource.InvalidFormat, without echoing it', async () => {
  const sent = '{"Data": {"Permissions": ["ReadBalances"], "Secret": "4111111111111111"';
  const { response, body, log } = await obError('/consents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: sent });
  assert.equal(response.status, 400);
  assert.deepEqual(body, {
    Code: '400 BadRequest',
    Id: body.Id,
    Message: 'The request body could not be read as JSON',
    Errors: [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request body could not be read as JSON' }],
  });
  assert.equal(log.level, INFO);
  assert.ok(!JSON.stringify(log).includes('4111111111111111'), 'the body stays out of the log too');

  const valid = await fetch(`${base}/consents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"Data":{}}' });
  assert.equal(valid.status, 200, 'the parser is really in the chain');
  assert.deepEqual(await valid.json(), { received: { Data: {} } });
});

test('a body over the limit is 413 and an unknown Content-Encoding is 415 at Path Content-Encoding', async () => {
  const large = await obError('/consents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Data: 'x'.repeat(2048) }) });
  assert.equal(large.response.status, 413);
  assert.deepEqual(large.body, {
    Code: '413 PayloadTooLarge',
    Id: large.body.Id,
    Message: 'The request body is too large',
    Errors: [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request body is too large' }],
  });

  const encoded = await obError('/consents', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'snappy' }, body: '{}' });
  assert.equal(encoded.response.status, 415);
  assert.deepEqual(encoded.body, {
    Code: '415 UnsupportedMediaType',
    Id: encoded.body.Id,
    Message: 'The Content-Encoding of the request body is not supported',
    Errors: [{ ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'The Content-Encoding of the request body is not supported', Path: 'Content-Encoding' }],
  });
});

test('client errors thrown through Koa get our words, never the message they were thrown with', async () => {
  const mediaType = await obError('/media-type');
  assert.equal(mediaType.response.status, 415);
  assert.deepEqual(mediaType.body.Errors, [{ ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'The media type of the request body is not supported', Path: 'Content-Type' }]);

  const gone = await obError('/gone');
  assert.equal(gone.response.status, 404);
  assert.equal(gone.body.Code, '404 NotFound');
  assert.deepEqual(gone.body.Errors, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: 'The requested resource was not found' }]);

  const method = await obError('/method');
  assert.equal(method.response.status, 405);
  assert.equal(method.body.Code, '405 MethodNotAllowed');
  assert.deepEqual(method.body.Errors, [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request was refused: Method Not Allowed' }]);
  assert.equal(method.log.level, INFO);
});

test('a path nothing answers is left to the layer that owns 404s', async () => {
  const response = await fetch(`${base}/nowhere`);
  assert.equal(response.status, 404);
  assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(response.headers.get('cache-control'), null);
  assert.equal(await response.text(), 'Not Found');
});
