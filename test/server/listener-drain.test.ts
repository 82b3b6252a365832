import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { listenerDrain } from '../../src/server/listener-drain.ts';

/*
 * The drain on its own, over plain HTTP: readiness turns at once, answers in flight finish (and
 * close their connection), a connection still busy at the timeout is cut and counted.
 */

async function serve(handler: (res: import('node:http').ServerResponse) => void) {
  const drain = listenerDrain();
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, drain.track((_req, res) => handler(res)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { drain, server, port: (server.address() as AddressInfo).port };
}

function get(port: number): Promise<IncomingMessage & { text: Promise<string> }> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', agent: false, headers: { connection: 'keep-alive' } }, (res) => {
      const text = new Promise<string>((done, failed) => {
        let body = '';
        res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
        res.on('end', () => done(body));
        res.on('error', failed);
      });
      resolve(Object.assign(res, { text }));
    }).on('error', reject).end();
  });
}

test('an answer in flight when the drain starts finishes, says Connection: close, and the drain waits for it', async () => {
  let answer: (() => void) | undefined;
  const { drain, server, port } = await serve((res) => {
    answer = () => res.end('done');
  });
  const response = get(port);
  while (!answer) await sleep(5);
  assert.equal(drain.draining, false);
  const drained = drain.drain([server], { delay: 0, timeout: 5 });
  assert.equal(drain.draining, true, 'readiness turns at once');
  let finished = false;
  void drained.then(() => { finished = true; });
  await sleep(200);
  assert.equal(finished, false, 'the drain waits for the answer');
  answer();
  const res = await response;
  assert.equal(res.headers.connection, 'close');
  assert.equal(await res.text, 'done');
  assert.deepEqual(await drained, { cut: 0 });
});

test('during the delay the listener still answers, without keep-alive; after it, it accepts nothing', async () => {
  const { drain, server, port } = await serve((res) => res.end('ok'));
  const drained = drain.drain([server], { delay: 0.3, timeout: 5 });
  const during = await get(port);
  assert.equal(during.headers.connection, 'close');
  assert.equal(await during.text, 'ok');
  assert.deepEqual(await drained, { cut: 0 });
  await assert.rejects(get(port), { code: 'ECONNREFUSED' });
});

test('a connection still busy at the timeout is cut, and counted', async () => {
  const { drain, server, port } = await serve(() => {});
  const response = get(port);
  response.catch(() => {});
  await sleep(50);
  const started = performance.now();
  assert.deepEqual(await drain.drain([server], { delay: 0, timeout: 0.5 }), { cut: 1 });
  assert.ok(performance.now() - started >= 450, 'it waited for the timeout first');
  await assert.rejects(response, { code: 'ECONNRESET' });
});
