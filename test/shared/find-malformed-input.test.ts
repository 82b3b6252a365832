import assert from 'node:assert/strict';
import { test } from 'node:test';

import { findMalformedInput, type RequestInput } from '../../src/shared/find-malformed-input.ts';

const clean: RequestInput = { path: '/open-banking/v3.1/aisp/account-access-consents/aac-1', query: 'a=1&b=two+words', headers: { host: 'localhost', accept: 'application/json' } };
const find = (input: Partial<RequestInput>) => findMalformedInput({ ...clean, ...input }, 32);
const base64url = (text: string) => Buffer.from(text).toString('base64url');
const jws = (header: string, payload: string) => `${base64url(header)}.${base64url(payload)}.c2ln`;
const deep = `${'['.repeat(40)}1${']'.repeat(40)}`;

test('a clean request has no problem, whatever its encodings', () => {
  assert.equal(find({}), undefined);
  assert.equal(find({ path: '/caf%C3%A9/100%', query: 'q=%E2%9C%93&empty=&flag', body: { kind: 'form', text: 'grant_type=client_credentials&scope=a+b' } }), undefined);
  assert.equal(find({ body: { kind: 'json', text: '{"Data":{"Note":"caf\u00e9 \\ud83d\\ude00"}}' } }), undefined);
});

test('path segments: a NUL, a byte that is not UTF-8, an encoded surrogate', () => {
  for (const path of ['/consents/aac-%00x', '/consents/aac-%FFx', '/consents/%ED%A0%80']) {
    assert.deepEqual(find({ path }), { in: 'path', name: '', reason: 'text' }, path);
  }
});

test('query and form parameters are named by their decoded name, or their raw one when that is the problem', () => {
  assert.deepEqual(find({ query: 'ok=1&client_id=a%00b' }), { in: 'query', name: 'client_id', reason: 'text' });
  assert.deepEqual(find({ query: 'a%C0=1' }), { in: 'query', name: 'a%C0', reason: 'text' });
  assert.deepEqual(find({ body: { kind: 'form', text: 'username=alice%00' } }), { in: 'form', name: 'username', reason: 'text' });
});

test('JSON inside a parameter is walked: a JSON text, or the header and claims of a compact JWS', () => {
  assert.deepEqual(find({ body: { kind: 'form', text: `claims=${encodeURIComponent(deep)}` } }), { in: 'form', name: 'claims', reason: 'depth' });
  assert.deepEqual(find({ body: { kind: 'form', text: `client_assertion=${jws('{"alg":"none"}', '{"sub":"a\\u0000b"}')}` } }), { in: 'form', name: 'client_assertion', reason: 'text' });
  assert.deepEqual(find({ query: `request=${jws('{"alg":"ES256"}', `{"deep":${deep}}`)}` }), { in: 'query', name: 'request', reason: 'depth' });
  assert.deepEqual(find({ query: `request=${jws('{"alg":"ES256","kid":"\\ud800"}', '{}')}` }), { in: 'query', name: 'request', reason: 'text' });
});

test('a dotted value that is not a JWS (its first part is no JSON object) is not judged', () => {
  assert.equal(find({ query: 'state=abc.def.ghi&nonce=a.b.c' }), undefined);
  assert.equal(find({ query: `state=${base64url('[1]')}.${base64url('\u0000')}.x` }), undefined);
});

test('header values are judged only as JWSs (DPoP proofs, detached message signatures)', () => {
  assert.deepEqual(find({ headers: { ...clean.headers, dpop: jws('{"typ":"dpop+jwt"}', '{"jti":"a\\u0000"}') } }), { in: 'header', name: 'dpop', reason: 'text' });
  assert.deepEqual(find({ headers: { ...clean.headers, 'x-jws-signature': `${base64url(`{"alg":"PS256","crit":${deep}}`)}..c2ln` } }), { in: 'header', name: 'x-jws-signature', reason: 'depth' });
  assert.equal(find({ headers: { ...clean.headers, 'x-idempotency-key': '\u00ff\u00c0' } }), undefined, 'Latin-1 text, as Node reads header bytes');
});

test('JSON bodies are named by JSON path; JWT bodies as a whole; text that does not parse is left to its endpoint', () => {
  assert.deepEqual(find({ body: { kind: 'json', text: '{"Risk":{"Note":"a\\u0000"}}' } }), { in: 'json', name: 'Risk.Note', reason: 'text' });
  assert.deepEqual(find({ body: { kind: 'json', text: `{"Data":${deep}}` } }), { in: 'json', name: `Data${'[0]'.repeat(31)}`, reason: 'depth' });
  assert.deepEqual(find({ body: { kind: 'jwt', text: `${jws('{"alg":"PS256"}', `{"deep":${deep}}`)}\n` } }), { in: 'body', name: '', reason: 'depth' });
  assert.equal(find({ body: { kind: 'json', text: '{"Data":' } }), undefined);
  assert.equal(find({ body: { kind: 'jwt', text: 'not a jwt' } }), undefined);
});

test('a JWS payload that is not UTF-8 is refused; one that is not JSON is judged as text', () => {
  const notUtf8 = `${base64url('{"alg":"ES256"}')}.${Buffer.from([0xff]).toString('base64url')}.c2ln`;
  assert.deepEqual(find({ query: `request=${notUtf8}` }), { in: 'query', name: 'request', reason: 'text' });
  assert.deepEqual(find({ query: `request=${jws('{"alg":"ES256"}', 'plain\u0000')}` }), { in: 'query', name: 'request', reason: 'text' });
  assert.equal(find({ query: `request=${jws('{"alg":"ES256"}', 'plain text')}` }), undefined);
});
