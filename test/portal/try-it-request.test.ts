/**
 * The try-it form read into the one request the portal sends: the address is always the gateway's,
 * under the API's base path, on the operation's own path; each mistake is named beside its field.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { GatewayApi } from '../../src/gateway/catalogue/catalogue.types.ts';
import { operationReference } from '../../src/portal/reference/operation-reference.ts';
import { readTryItForm, type TryItTarget } from '../../src/portal/reference/try-it-request.ts';
import { ratesOpenApi } from '../helpers/reference-apis.ts';

const api = {
  id: 'api-rates', basePath: '/rates/v1', authKind: 'api-key', openapi: ratesOpenApi('Rates'), settings: { apiKeyHeader: 'x-trace' },
  routes: [{ id: 'r1', apiId: 'api-rates', method: 'GET', pathTemplate: '/rates/{currency}', policy: {} }, { id: 'r2', apiId: 'api-rates', method: 'POST', pathTemplate: '/alerts', policy: {} }],
} as unknown as GatewayApi;
const getRate = operationReference(api, api.routes[0]!);
const createAlert = operationReference(api, api.routes[1]!);
const target: TryItTarget = { gatewayBaseUrl: 'https://gateway.example', basePath: '/rates/v1', authKind: 'api-key', apiKeyHeader: 'x-trace' };

describe('reading the try-it form', () => {
  test('path parameters are percent-encoded into their segment, the query appended, the key in its header', () => {
    const read = readTryItForm(target, getRate, { credential: 'pck_k', 'path.currency': 'a/../b c', 'query.units': 'metric', 'header.x-trace': 'mine' });
    assert.ok(read.ok);
    assert.equal(read.value.url.href, 'https://gateway.example/rates/v1/rates/a%2F..%2Fb%20c?units=metric');
    assert.equal(read.value.headers['x-trace'], 'pck_k', 'a documented header of the same name never replaces the key');
    assert.equal(read.value.body, undefined);
  });

  test('an access token goes in Authorization; an open API takes no credential', () => {
    const oauth = readTryItForm({ ...target, authKind: 'oauth2' }, getRate, { credential: 'eyJ.a.b', 'path.currency': 'EUR' });
    assert.ok(oauth.ok);
    assert.equal(oauth.value.headers['authorization'], 'Bearer eyJ.a.b');
    const open = readTryItForm({ ...target, authKind: 'none' }, getRate, { 'path.currency': 'EUR' });
    assert.ok(open.ok);
    assert.deepEqual(Object.keys(open.value.headers), ['accept']);
  });

  test('every mistake, in the form\'s order', () => {
    const read = readTryItForm(target, getRate, { credential: 'pck with space', 'path.currency': '.', 'query.units': 'kelvin', 'header.x-trace': 'a\r\nInjected: yes' });
    assert.deepEqual(read, { ok: false, errors: [
      { field: 'credential', message: 'Paste one of your application\'s API keys, without spaces or line breaks' },
      { field: 'path.currency', message: 'Enter a value other than "." for the path parameter currency' },
      { field: 'query.units', message: 'Choose one of the values listed for the query parameter units' },
      { field: 'header.x-trace', message: 'Enter the header parameter x-trace without line breaks or control characters' },
    ] });
  });

  test('a JSON body must be JSON, and a required one there', () => {
    assert.deepEqual(readTryItForm(target, createAlert, { credential: 'pck_k' }), { ok: false, errors: [{ field: 'body', message: 'Enter the request body' }] });
    const bad = readTryItForm(target, createAlert, { credential: 'pck_k', body: '{' });
    assert.ok(!bad.ok && bad.errors[0]!.message.startsWith('Enter the request body as JSON: '));
    const good = readTryItForm(target, createAlert, { credential: 'pck_k', body: '{"currency":"EUR"}' });
    assert.ok(good.ok);
    assert.equal(good.value.headers['content-type'], 'application/json');
    assert.equal(good.value.body, '{"currency":"EUR"}');
  });
});
