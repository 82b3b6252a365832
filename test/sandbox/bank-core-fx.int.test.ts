import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { GATEWAY_ISSUER, startTestBankCore, type CoreAnswer, type CoreCall, type TestBankCore } from '../helpers/bank-core-client.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';
import { storeKind } from '../helpers/store.ts';

/*
 * The bank core's exchange rates API (under /fx), called as the gateway calls it, with an identity
 * signed for `<bank core>/fx`: every rate against a base, one rate, and every bad input, unknown
 * path, other method and missing identity answered as RFC 9457 problem details, never in the Open
 * Banking form the rest of the core uses.
 */

const clock = fixedClock('2026-09-01T12:00:00Z');
let core: TestBankCore;

before(async () => {
  core = await startTestBankCore(clock);
});
after(async () => {
  await core?.close();
});

/** A call to the exchange rates API, signed for its own audience unless `call` says otherwise. */
const fx = (method: string, path: string, call: CoreCall = {}) =>
  core.call(method, `/fx${path}`, { identity: { applicationId: 'app-1', organisationId: 'org-1' }, ...call, signing: { audience: `${core.url}/fx`, ...call.signing } });

function assertProblem(answer: CoreAnswer, status: number, slug: string, title: string, detail: RegExp): void {
  assert.equal(answer.status, status, JSON.stringify(answer.json));
  assert.equal(answer.headers.get('content-type'), 'application/problem+json');
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  const { instance, ...rest } = answer.json as { instance: string; detail: string };
  assert.deepEqual(Object.keys(rest).sort(), ['detail', 'status', 'title', 'type']);
  assert.equal(answer.json.type, `${GATEWAY_ISSUER}/docs/problems/${slug}`);
  assert.equal(answer.json.title, title);
  assert.equal(answer.json.status, status);
  assert.match(answer.json.detail, detail);
  assert.match(instance, /^urn:uuid:[0-9a-f-]{36}$/);
  assert.equal(answer.headers.get('x-fapi-interaction-id'), null, 'not an Open Banking answer');
}

describe(`bank core: exchange rates (${storeKind})`, () => {
  test('GET /rates: every other currency against the pound, dated today', async () => {
    const answer = await fx('GET', '/rates');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(answer.headers.get('x-fapi-interaction-id'), null);
    assert.deepEqual(answer.json, {
      base: 'GBP', date: '2026-09-01',
      rates: { EUR: 1.17062, USD: 1.34107, JPY: 198.291, CHF: 1.06968, CAD: 1.85545, AUD: 2.04629, NZD: 2.29157, SEK: 12.7312, NOK: 13.51, DKK: 8.74382, PLN: 4.97818 },
    });
  });

  test('GET /rates?base=EUR: against another base', async () => {
    const answer = await fx('GET', '/rates?base=EUR');
    assert.equal(answer.status, 200);
    assert.equal(answer.json.base, 'EUR');
    assert.equal(answer.json.rates.GBP, 0.85425);
    assert.equal(answer.json.rates.DKK, 7.46941);
    assert.equal(answer.json.rates.EUR, undefined);
  });

  test('GET /rates/{currency}: one pair, against the pound or a base', async () => {
    assert.deepEqual((await fx('GET', '/rates/EUR')).json, { base: 'GBP', currency: 'EUR', rate: 1.17062, date: '2026-09-01' });
    assert.deepEqual((await fx('GET', '/rates/JPY?base=USD')).json, { base: 'USD', currency: 'JPY', rate: 147.861, date: '2026-09-01' });
    assert.deepEqual((await fx('GET', '/rates/GBP?base=GBP')).json, { base: 'GBP', currency: 'GBP', rate: 1, date: '2026-09-01' });
    const head = await fx('HEAD', '/rates/EUR');
    assert.equal(head.status, 200);
    assert.equal(head.json, undefined);
  });

  test('the next day, other rates', async () => {
    clock.advance(24 * 3600);
    try {
      assert.deepEqual((await fx('GET', '/rates/EUR')).json, { base: 'GBP', currency: 'EUR', rate: 1.16891, date: '2026-09-02' });
    } finally {
      clock.advance(-24 * 3600);
    }
  });

  test('a currency the table lacks is 404; a code that is not three capital letters, 400', async () => {
    assertProblem(await fx('GET', '/rates/XYZ'), 404, 'not-found', 'No such resource', /^XYZ is not quoted; the currencies are GBP, EUR, USD, /);
    assertProblem(await fx('GET', '/rates/eur'), 400, 'bad-request', 'The request is malformed', /^currency must be an ISO 4217 currency code: three capital letters such as EUR, not "eur"$/);
    assertProblem(await fx('GET', '/rates/EURO'), 400, 'bad-request', 'The request is malformed', /not "EURO"$/);
    assertProblem(await fx('GET', '/rates/%E2%82%AC'), 400, 'bad-request', 'The request is malformed', /not "€"$/);
  });

  test('a base not offered, malformed, empty or repeated, or another query parameter, is 400', async () => {
    const malformed = 'The request is malformed';
    assertProblem(await fx('GET', '/rates?base=XYZ'), 400, 'bad-request', malformed, /^XYZ is not offered as a base; choose one of GBP, EUR, /);
    assertProblem(await fx('GET', '/rates/EUR?base=XAU'), 400, 'bad-request', malformed, /^XAU is not offered as a base/);
    assertProblem(await fx('GET', '/rates?base=usd'), 400, 'bad-request', malformed, /^base must be an ISO 4217 currency code: three capital letters such as EUR, not "usd"$/);
    assertProblem(await fx('GET', '/rates?base='), 400, 'bad-request', malformed, /^base must be an ISO 4217 currency code.*not ""$/);
    assertProblem(await fx('GET', '/rates?base=GBP&base=EUR'), 400, 'bad-request', malformed, /^base must be given once$/);
    assertProblem(await fx('GET', '/rates/EUR?amount=100'), 400, 'bad-request', malformed, /^amount is not a query parameter of this API; it takes base only$/);
  });

  test('another method is 405 with Allow; another path, 404', async () => {
    const post = await fx('POST', '/rates', { body: {} });
    assertProblem(post, 405, 'method-not-allowed', 'Method not allowed', /^POST is not allowed on \/fx\/rates; it allows HEAD, GET$/);
    assert.equal(post.headers.get('allow'), 'HEAD, GET');
    assert.equal((await fx('DELETE', '/rates/EUR')).headers.get('allow'), 'HEAD, GET');
    assertProblem(await fx('GET', '/currencies'), 404, 'not-found', 'No such resource', /^\/fx\/currencies is not a path of the exchange rates API$/);
    assertProblem(await fx('GET', ''), 404, 'not-found', 'No such resource', /^\/fx is not a path/);
    assertProblem(await fx('GET', '/rates/EUR/history'), 404, 'not-found', 'No such resource', /history is not a path/);
  });

  test('nobody but the gateway, for this API: no identity, a bad one, or one signed for the Open Banking APIs is 401', async () => {
    const unauthenticated = 'Credentials are missing or invalid';
    assertProblem(await fx('GET', '/rates', { identity: null }), 401, 'unauthenticated', unauthenticated, /^The bank core answers the gateway only: x-portcullis-identity is missing$/);
    assertProblem(await fx('GET', '/rates', { raw: 'not-a-jwt' }), 401, 'unauthenticated', unauthenticated, /x-portcullis-identity does not verify$/);
    assertProblem(await fx('GET', '/rates', { signing: { audience: core.url } }), 401, 'unauthenticated', unauthenticated, /does not verify$/);
    assertProblem(await fx('GET', '/rates', { signing: { issuer: 'https://elsewhere.test' } }), 401, 'unauthenticated', unauthenticated, /does not verify$/);
    const unknownPath = await fx('GET', '/nowhere', { identity: null });
    assert.equal(unknownPath.status, 401, 'the route table is no guide for strangers');

    const obWithFxIdentity = await core.call('GET', '/accounts', { identity: { customerId: 'cust-0001' }, signing: { audience: `${core.url}/fx` } });
    assert.equal(obWithFxIdentity.status, 401, 'an identity for the exchange rates API opens no account');
    assert.equal(obWithFxIdentity.json.Errors[0].ErrorCode, 'UK.OBIE.Header.Invalid');
  });
});
