import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { test } from 'node:test';

import Koa from 'koa';

import { setHeaders } from '../../src/shared/set-headers.ts';

function newContext() {
  const req = new IncomingMessage(new Socket());
  return new Koa().createContext(req, new ServerResponse(req));
}

test('sets every field given, as ctx.set does, and leaves out the undefined ones', () => {
  const ctx = newContext();
  setHeaders(ctx, { 'X-One': 'a', 'set-cookie': ['b=1', 'c=2'], Absent: undefined });
  assert.deepEqual({ ...ctx.response.headers }, { 'x-one': 'a', 'set-cookie': ['b=1', 'c=2'] });
});

test('a Content-Type or Content-Length of one value in an array is that value; of two, refused as Koa refuses it', () => {
  const ctx = newContext();
  setHeaders(ctx, { 'content-type': ['application/json'], 'Content-Length': ['12'] });
  assert.deepEqual({ ...ctx.response.headers }, { 'content-type': 'application/json', 'content-length': '12' });
  assert.throws(() => setHeaders(ctx, { 'content-type': ['text/plain', 'text/html'] }), /must contain exactly one value/);
});

test('nothing is set once the head is sent', () => {
  const ctx = newContext();
  ctx.res.writeHead(204);
  setHeaders(ctx, { 'X-Late': 'no' });
  assert.equal(ctx.res.getHeader('x-late'), undefined);
});
