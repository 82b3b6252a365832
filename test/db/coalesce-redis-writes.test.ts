import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';

import type { Redis } from 'ioredis';

import { connectFailFastRedis, firstConnectionAttempt } from '../../src/db/fail-fast-redis.ts';

/*
 * The client's commands reach the real Redis (database 5) through a proxy that records each chunk
 * it reads from the client: one chunk per socket write, since a write of a few hundred bytes on
 * loopback arrives whole, and the client sends its next write only after the answer to the last.
 */

const REDIS = { host: '127.0.0.1', port: 6379 };

let proxy: Server;
const sockets = new Set<Socket>();
let writes: string[] = [];
let redis: Redis;

before(async () => {
  proxy = createServer((client) => {
    const server = connect(REDIS.port, REDIS.host);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.on('data', (chunk) => writes.push(chunk.toString()));
    client.pipe(server).pipe(client);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  redis = connectFailFastRedis(`redis://127.0.0.1:${(proxy.address() as { port: number }).port}/5`, { onError: () => {}, commandTimeoutMs: 2000 });
  await firstConnectionAttempt(redis);
  assert.equal(redis.status, 'ready');
});

after(() => {
  redis.disconnect();
  for (const socket of sockets) socket.destroy();
  proxy.close();
});

/** What the client writes while `send` runs and its answers come back. */
async function written<T>(send: () => Promise<T>): Promise<{ answer: T; writes: string[] }> {
  writes = [];
  const answer = await send();
  return { answer, writes };
}

const commandsIn = (write: string) => write.match(/^\*\d+\r\n/gm)?.length ?? 0;

describe('coalesceRedisWrites (through connectFailFastRedis)', () => {
  it('sends the commands made in one turn in one write, and answers each in order', async () => {
    const keys = Array.from({ length: 20 }, (_, index) => `coalesce:${index}`);
    const set = await written(() => Promise.all(keys.map((key, index) => redis.set(key, String(index), 'EX', 60))));
    assert.deepEqual(set.answer, keys.map(() => 'OK'));
    assert.equal(set.writes.length, 1);
    assert.equal(commandsIn(set.writes[0]!), 20);

    const got = await written(() => Promise.all(keys.map((key) => redis.get(key))));
    assert.deepEqual(got.answer, keys.map((_, index) => String(index)));
    assert.deepEqual(got.writes.map(commandsIn), [20]);
  });

  it('holds no command back: a later turn gets its own write', async () => {
    const { answer, writes: sent } = await written(async () => [await redis.incr('coalesce:later'), await redis.incr('coalesce:later')]);
    assert.equal(answer[1]! - answer[0]!, 1);
    assert.deepEqual(sent.map(commandsIn), [1, 1]);
  });

  it('leaves a transaction to write itself', async () => {
    const { answer } = await written(() => redis.multi().set('coalesce:multi', 'x', 'EX', 60).get('coalesce:multi').exec());
    assert.deepEqual(answer, [[null, 'OK'], [null, 'x']]);
  });

  it('goes on coalescing on the connection that replaces a dropped one', async () => {
    for (const socket of sockets) socket.destroy();
    await once(redis, 'ready');
    const { answer, writes: sent } = await written(() => Promise.all(Array.from({ length: 20 }, () => redis.ping())));
    assert.deepEqual(answer, Array(20).fill('PONG'));
    assert.deepEqual(sent.map(commandsIn), [20]);
  });
});
