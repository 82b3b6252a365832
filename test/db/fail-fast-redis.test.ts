import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';

import type { Redis } from 'ioredis';

import { connectFailFastRedis, firstConnectionAttempt } from '../../src/db/fail-fast-redis.ts';
import { freePort } from '../helpers/free-port.ts';

/*
 * The start-up wait for a fail-fast Redis client (which has no offline queue): the real Redis
 * (database 5), nothing listening, a Redis that never answers, and a first connection whose
 * handshake fails (a stand-in answers its HELLO with an error, as ioredis once saw its HELLO fail),
 * after which ioredis connects again and the wait ends ready.
 */

const REDIS = { host: '127.0.0.1', port: 6379 };
const opened: Redis[] = [];
const servers: Server[] = [];
const sockets = new Set<Socket>();

after(() => {
  for (const redis of opened) redis.disconnect();
  for (const socket of sockets) socket.destroy();
  for (const server of servers) server.close();
});

function client(url: string): { redis: Redis; errors: Error[] } {
  const errors: Error[] = [];
  const redis = connectFailFastRedis(url, { onError: (error) => errors.push(error), commandTimeoutMs: 2000 });
  opened.push(redis);
  return { redis, errors };
}

function listen(onConnection: (socket: Socket, nth: number) => void): Promise<string> {
  let connections = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket, ++connections);
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`redis://127.0.0.1:${(server.address() as { port: number }).port}/5`)));
}

async function timed(wait: Promise<void>): Promise<number> {
  const start = performance.now();
  await wait;
  return performance.now() - start;
}

describe('firstConnectionAttempt', () => {
  it('ends when the connection is ready, and commands go through', async () => {
    const { redis } = client(`redis://${REDIS.host}:${REDIS.port}/5`);
    await firstConnectionAttempt(redis);
    assert.equal(redis.status, 'ready');
    assert.equal(await redis.ping(), 'PONG');
  });

  it('ends at once when nothing listens, without waiting for the next attempt', async () => {
    const { redis, errors } = client(`redis://127.0.0.1:${await freePort()}/5`);
    const waited = await timed(firstConnectionAttempt(redis, 5000));
    assert.notEqual(redis.status, 'ready');
    assert.equal((errors[0] as NodeJS.ErrnoException).code, 'ECONNREFUSED');
    assert.ok(waited < 1000, `waited ${waited} ms`);
  });

  it('ends after waitMs when the server accepts but never answers', async () => {
    const { redis } = client(await listen(() => {}));
    const waited = await timed(firstConnectionAttempt(redis, 300));
    assert.notEqual(redis.status, 'ready');
    assert.ok(waited >= 290 && waited < 2000, `waited ${waited} ms`);
  });

  it('waits past a first connection whose handshake fails, until the next one is ready', async () => {
    const url = await listen((socket, nth) => {
      if (nth === 1) {
        // HELLO refused, the handshake's other commands (SELECT, CLIENT SETINFO, …) accepted.
        socket.once('data', (commands) => {
          const count = commands.toString().match(/^\*/gm)?.length ?? 1;
          socket.write(`-ERR handshake refused by the test\r\n${'+OK\r\n'.repeat(count - 1)}`);
        });
        return;
      }
      const upstream = connect(REDIS);
      sockets.add(upstream);
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    const { redis, errors } = client(url);
    await firstConnectionAttempt(redis, 5000);
    assert.match(String(errors[0]?.message), /handshake refused by the test/);
    assert.equal(redis.status, 'ready');
    assert.equal(await redis.ping(), 'PONG');
  });
});
