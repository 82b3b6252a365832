import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';

import { Redis, ReplyError } from 'ioredis';

import { ReplayDetectionRedisAdapter } from '../../../src/auth/adapter/replay-detection-redis.adapter.ts';
import { CLAIM_SECONDS } from '../../../src/auth/adapter/replay-detection.adapter.ts';
import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import { connectFailFastRedis, firstConnectionAttempt } from '../../../src/db/fail-fast-redis.ts';
import { isStoreUnavailable } from '../../../src/db/store-unavailable.ts';
import { TemporarilyUnavailable } from '../../../src/shared/temporarily-unavailable.ts';
import { startDatabaseProxy } from '../../helpers/database-proxy.ts';
import { pollUntil } from '../../helpers/eventually.ts';
import { freePort } from '../../helpers/free-port.ts';
import { openTestStore } from '../../helpers/store.ts';
import { assertUniqueOnce, replayProvider } from './replay-provider.ts';

/*
 * The Redis replay adapter against the real Redis (database 5, keys under a prefix of this run's
 * own, deleted at the end): the contract of the PostgreSQL one, and a Redis that is down, silent
 * or closed answered as a store outage, never as "not seen". Through the store adapter, keys take
 * the product's prefix (`portcullis:replay:`, random ids) and expire by themselves within
 * CLAIM_SECONDS.
 */

const REDIS_URL = 'redis://127.0.0.1:6379/5';
const prefix = `test-replay-${randomUUID()}`;
const payload = (id: string) => ({ jti: id, kind: 'ReplayDetection' });

const inspector = new Redis(REDIS_URL);
const opened: Redis[] = [];

// A generous command timeout: a machine busy with other tests must not turn a slow answer into a failure.
async function client(url = REDIS_URL, commandTimeoutMs = 2000): Promise<Redis> {
  const redis = connectFailFastRedis(url, { onError: () => {}, commandTimeoutMs });
  opened.push(redis);
  await firstConnectionAttempt(redis);
  return redis;
}

after(async () => {
  for (const redis of opened) redis.disconnect();
  const keys = await inspector.keys(`${prefix}:*`);
  if (keys.length > 0) await inspector.del(...keys);
  await inspector.quit();
});

describe('ReplayDetection adapter in Redis', () => {
  it('reports an id unseen on the first find, seen on every later one, and after the upsert', async () => {
    const replay = new ReplayDetectionRedisAdapter(await client(), prefix);
    const id = randomUUID();
    assert.equal(await replay.find(id), undefined);
    assert.deepEqual(await replay.find(id), payload(id));
    await replay.upsert(id, { ...payload(id), iss: 'tpp-1' }, 60);
    assert.deepEqual(await replay.find(id), payload(id));
  });

  it('lets exactly one of many concurrent finds on two connections claim an id', async () => {
    const [one, two] = [new ReplayDetectionRedisAdapter(await client(), prefix), new ReplayDetectionRedisAdapter(await client(), prefix)];
    for (let round = 0; round < 20; round++) {
      const id = randomUUID();
      const results = await Promise.all(Array.from({ length: 8 }, (_, n) => (n % 2 === 0 ? one : two).find(id)));
      assert.equal(results.filter((result) => result === undefined).length, 1, `round ${round}`);
    }
  });

  it('claims an id for CLAIM_SECONDS, and an upsert asking no longer sends nothing', async () => {
    const redis = await client();
    const replay = new ReplayDetectionRedisAdapter(redis, prefix);
    const id = randomUUID();
    await replay.find(id);
    // Any command now would fail: the upsert must have nothing to send.
    redis.disconnect();
    await replay.upsert(id, payload(id), 75);
    const ttl = await inspector.ttl(`${prefix}:${id}`);
    assert.ok(ttl > CLAIM_SECONDS - 5 && ttl <= CLAIM_SECONDS, `expires in ${ttl}s`);
  });

  it('extends the claim when upsert asks for longer', async () => {
    const replay = new ReplayDetectionRedisAdapter(await client(), prefix);
    const id = randomUUID();
    await replay.find(id);
    await replay.upsert(id, payload(id), 3600);
    const ttl = await inspector.ttl(`${prefix}:${id}`);
    assert.ok(ttl > 3595 && ttl <= 3600, `expires in ${ttl}s`);
  });

  it('writes the expiry asked for when this process made no claim, and never shortens it', async () => {
    const replay = new ReplayDetectionRedisAdapter(await client(), prefix);
    const id = randomUUID();
    await replay.upsert(id, payload(id), 600);
    await replay.upsert(id, payload(id), 30);
    const ttl = await inspector.ttl(`${prefix}:${id}`);
    assert.ok(ttl > 595 && ttl <= 600, `expires in ${ttl}s`);
    assert.deepEqual(await replay.find(id), payload(id));
  });

  it('never shortens a claim made by another process', async () => {
    const [claimer, other] = [new ReplayDetectionRedisAdapter(await client(), prefix), new ReplayDetectionRedisAdapter(await client(), prefix)];
    const id = randomUUID();
    await claimer.find(id);
    await other.upsert(id, payload(id), 10);
    const ttl = await inspector.ttl(`${prefix}:${id}`);
    assert.ok(ttl > CLAIM_SECONDS - 5, `expires in ${ttl}s`);
  });

  it('keeps an id with no expiry forever, and a later upsert does not give it one', async () => {
    const replay = new ReplayDetectionRedisAdapter(await client(), prefix);
    const id = randomUUID();
    await replay.find(id);
    await replay.upsert(id, payload(id));
    await replay.upsert(id, payload(id), 30);
    assert.equal(await inspector.ttl(`${prefix}:${id}`), -1);
  });

  it('writes nothing for an expiry already past', async () => {
    const replay = new ReplayDetectionRedisAdapter(await client(), prefix);
    const id = randomUUID();
    await replay.upsert(id, payload(id), 0);
    await replay.upsert(id, payload(id), -5);
    assert.equal(await inspector.exists(`${prefix}:${id}`), 0);
  });

  it('claims an id anew, once, after Redis has expired it', async () => {
    const replay = new ReplayDetectionRedisAdapter(await client(), prefix);
    const id = randomUUID();
    const key = `${prefix}:${id}`;
    await replay.find(id);
    await inspector.pexpire(key, 1);
    await pollUntil(() => inspector.pttl(key), (ttl) => ttl === -2, { withinMs: 5000, what: 'the key to expire' });

    assert.equal(await replay.find(id), undefined);
    assert.deepEqual(await replay.find(id), payload(id));
  });

  it('writes the key again when an id is destroyed between its claim and its upsert, and forgets a destroyed id', async () => {
    const replay = new ReplayDetectionRedisAdapter(await client(), prefix);
    const id = randomUUID();
    await replay.find(id);
    await replay.destroy(id);
    await replay.upsert(id, payload(id), 30);
    const ttl = await inspector.ttl(`${prefix}:${id}`);
    assert.ok(ttl > 25 && ttl <= 30, `expires in ${ttl}s`);

    await replay.destroy(id);
    assert.equal(await replay.find(id), undefined);
  });

  it("makes oidc-provider's ReplayDetection.unique() accept a jti once, even concurrently, through the store adapter", async () => {
    const db = await openTestStore();
    try {
      const jti = await assertUniqueOnce(await replayProvider(createStoreAdapter(db, { replayRedis: await client() })));
      // In Redis, not in PostgreSQL.
      const id = createHash('sha256').update(`tpp-1${jti}`).digest('base64url');
      assert.equal(await inspector.exists(`portcullis:replay:${id}`), 1);
      assert.equal(await db('oidc_replay').where({ id }).first(), undefined);
    } finally {
      await db.destroy();
    }
  });
});

/** The store adapter's ReplayDetection over `redis`, as the token endpoint and the gateway use it. */
async function replayOver(redis: Redis) {
  const db = await openTestStore();
  return { replay: createStoreAdapter(db, { replayRedis: redis })('ReplayDetection'), close: () => db.destroy() };
}

async function assertOutage(work: Promise<unknown>, cause: RegExp): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof TemporarilyUnavailable, String(error));
    assert.equal(error.statusCode, 503);
    assert.match(String((error.cause as Error).message), cause);
    return true;
  });
}

describe('ReplayDetection in a Redis that fails: a store outage (503), never a pass', () => {
  it('a Redis that refuses connections', async () => {
    const { replay, close } = await replayOver(await client(`redis://127.0.0.1:${await freePort()}`));
    try {
      await assertOutage(Promise.resolve(replay.find(randomUUID())), /enableOfflineQueue/);
      await assertOutage(Promise.resolve(replay.upsert(randomUUID(), payload('x'), 60)), /enableOfflineQueue/);
    } finally {
      await close();
    }
  });

  it('a Redis that goes silent, until it is back', async () => {
    const proxy = await startDatabaseProxy(REDIS_URL);
    const redis = await client(proxy.url, 1000);
    const { replay, close } = await replayOver(redis);
    try {
      assert.equal(await replay.find(randomUUID()), undefined);
      await proxy.cut('black-hole');
      await assertOutage(Promise.resolve(replay.find(randomUUID())), /Command timed out/);
      await proxy.restore({ failover: true });
      // The silent connection is dropped after a while, and the next one serves.
      await pollUntil(() => Promise.resolve(replay.find(randomUUID())).catch((error: unknown) => error), (result) => result === undefined, { withinMs: 10_000, what: 'a claim after Redis came back' });
    } finally {
      await close();
      await proxy.close();
    }
  });

  it('a Redis that resets the connection under a claim in flight, and then refuses connections', async () => {
    const proxy = await startDatabaseProxy(REDIS_URL);
    const { replay, close } = await replayOver(await client(proxy.url));
    try {
      assert.equal(await replay.find(randomUUID()), undefined);
      await proxy.cut('black-hole');
      const inFlight = Promise.resolve(replay.find(randomUUID()));
      await proxy.cut('refused');
      await assertOutage(inFlight, /max retries per request|Connection is closed/);
      await assertOutage(Promise.resolve(replay.find(randomUUID())), /enableOfflineQueue/);
    } finally {
      await close();
      await proxy.close();
    }
  });

  it('while Redis says LOADING, BUSY, MASTERDOWN or READONLY; any other Redis error stays a bug', async () => {
    for (const reply of ['LOADING Redis is loading the dataset in memory', 'BUSY Redis is busy running a script', 'MASTERDOWN Link with MASTER is down', "READONLY You can't write against a read only replica."]) {
      assert.equal(isStoreUnavailable(new ReplyError(reply)), true, reply);
    }
    const key = `${prefix}:${randomUUID()}`;
    await inspector.set(key, '1');
    const wrongType = await inspector.lpush(key, 'x').then(() => undefined, (error: unknown) => error);
    assert.ok(wrongType instanceof ReplyError);
    assert.equal(isStoreUnavailable(wrongType), false);
  });
});
