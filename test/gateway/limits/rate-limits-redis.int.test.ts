import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';

import { Redis } from 'ioredis';

import { connectFailFastRedis } from '../../../src/db/fail-fast-redis.ts';
import type { LimitInput, LimitOutcome } from '../../../src/gateway/limits/limits.types.ts';
import { createRateLimits, type RateLimits, type RateLimitsOptions } from '../../../src/gateway/limits/rate-limits.service.ts';
import { startDatabaseProxy } from '../../helpers/database-proxy.ts';
import { fixedClock } from '../../helpers/fixed-clock.ts';
import { freePort } from '../../helpers/free-port.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Every key this run writes starts with it; all are deleted at the end.
const prefix = `test-limits-${randomUUID()}`;
const noLimits: LimitInput['plan'] = { id: 'plan-free', ratePerSecond: null, ratePerMinute: null, quotaPerDay: null, quotaPerMonth: null };

const opened: RateLimits[] = [];
const inspector = new Redis(redisUrl);
after(async () => {
  await Promise.all(opened.map((limits) => limits.close()));
  const keys = await inspector.keys(`${prefix}:*`);
  if (keys.length > 0) await inspector.del(...keys);
  await inspector.quit();
});

function instance(options: Partial<RateLimitsOptions> & Pick<RateLimitsOptions, 'clock'>, redis: Redis): RateLimits {
  const limits = createRateLimits({ redis, keyPrefix: prefix, onRedisFailure: 'closed', ...options });
  opened.push(limits);
  return limits;
}

// For the tests of exactness: a generous timeout, so that a machine loaded by other tests does
// not turn a slow answer into a failure. The outage tests use the default.
const connectionErrors: Error[] = [];
const patientRedis = () => connectFailFastRedis(redisUrl, { onError: (error) => void connectionErrors.push(error), commandTimeoutMs: 2000 });
const quietRedis = (url: string) => connectFailFastRedis(url, { onError: () => {} });

async function ready(limits: RateLimits, input: LimitInput): Promise<void> {
  // A client just made is still connecting: wait for its first count to go through.
  for (let attempt = 0; attempt < 100; attempt++) {
    const outcome = await limits.consume(input);
    if (outcome.admitted || outcome.reason !== 'unavailable') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail('Redis never became ready');
}

async function timed(call: () => Promise<LimitOutcome>): Promise<{ outcome: LimitOutcome; ms: number }> {
  const started = performance.now();
  const outcome = await call();
  return { outcome, ms: performance.now() - started };
}

test('two instances on one Redis, hammered at once, admit exactly the limit, and refused calls leave no count behind', async () => {
  const clock = fixedClock('2026-12-04T21:20:15Z');
  const [one, two] = [instance({ clock }, patientRedis()), instance({ clock }, patientRedis())];
  const plan: LimitInput['plan'] = { ...noLimits, id: 'plan-pro', ratePerMinute: 50, quotaPerDay: 1000 };
  const input: LimitInput = { applicationId: `app-${randomUUID()}`, plan, routeId: 'route-1', routeLimits: { perMinute: 70 } };
  // Both connected first, so that the hammering measures counting, not connecting.
  await ready(one, { ...input, applicationId: 'warm-up-1' });
  await ready(two, { ...input, applicationId: 'warm-up-2' });

  const outcomes = await Promise.all([...Array.from({ length: 200 }, () => one.consume(input)), ...Array.from({ length: 200 }, () => two.consume(input))]);
  assert.equal(outcomes.filter((outcome) => outcome.admitted).length, 50);
  for (const outcome of outcomes.filter((outcome) => !outcome.admitted)) {
    assert.deepEqual(outcome, {
      admitted: false,
      reason: 'rate',
      retryAfterSeconds: 45,
      headers: { 'RateLimit-Policy': '"per-minute";q=50;w=60, "per-day";q=1000;w=86400, "route-per-minute";q=70;w=60', RateLimit: '"per-minute";r=0;t=45', 'Retry-After': '45' },
    });
  }
  // Every refusal was taken back, on every counter: they hold the 50 admitted calls only.
  const key = (counter: string, window: string) => `${prefix}:${input.applicationId}:plan-pro:${counter}:${window}`;
  assert.deepEqual(await inspector.mget(key('per-minute', '2026-12-04T21:20'), key('per-day', '2026-12-04'), key('route:route-1:per-minute', '2026-12-04T21:20')), ['50', '50', '50']);
  // Each counter is kept to its window's end and a minute more.
  const ttl = await inspector.ttl(key('per-day', '2026-12-04'));
  assert.ok(ttl > 9600 && ttl <= 9645, `per-day TTL ${ttl}`);
  assert.deepEqual(connectionErrors, []);
});

test('a quota shared by two instances is exact too, and both see the same count', async () => {
  const clock = fixedClock('2026-12-04T12:00:00Z');
  const [one, two] = [instance({ clock }, patientRedis()), instance({ clock }, patientRedis())];
  const input: LimitInput = { applicationId: `app-${randomUUID()}`, plan: { ...noLimits, quotaPerDay: 30 }, routeId: 'route-1' };
  await ready(one, { ...input, applicationId: 'warm-up-1' });
  await ready(two, { ...input, applicationId: 'warm-up-2' });
  const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? one : two).consume(input)));
  assert.equal(outcomes.filter((outcome) => outcome.admitted).length, 30);
  assert.deepEqual(await one.consume(input), {
    admitted: false,
    reason: 'quota',
    retryAfterSeconds: 43200,
    headers: { 'RateLimit-Policy': '"per-day";q=30;w=86400', RateLimit: '"per-day";r=0;t=43200', 'Retry-After': '43200' },
  });
  // The next day is a new counter, on both.
  clock.advance(43200);
  assert.deepEqual(await two.consume(input), { admitted: true, headers: { 'RateLimit-Policy': '"per-day";q=30;w=86400', RateLimit: '"per-day";r=29;t=86400' } });
  assert.deepEqual(await one.consume(input), { admitted: true, headers: { 'RateLimit-Policy': '"per-day";q=30;w=86400', RateLimit: '"per-day";r=28;t=86400' } });
});

test('Redis down, failing open: every call is admitted at once, uncounted, and each failure is reported', async () => {
  const reported: unknown[] = [];
  const refusedConnections: Error[] = [];
  const redis = connectFailFastRedis(`redis://127.0.0.1:${await freePort()}`, { onError: (error) => void refusedConnections.push(error) });
  const limits = instance({ clock: fixedClock('2026-12-04T12:00:00Z'), onRedisFailure: 'open', reportRedisFailure: (error) => void reported.push(error) }, redis);
  const input: LimitInput = { applicationId: 'app-1', plan: { ...noLimits, ratePerSecond: 1, quotaPerDay: 1 }, routeId: 'route-1' };
  for (let call = 0; call < 3; call++) {
    const { outcome, ms } = await timed(() => limits.consume(input));
    assert.deepEqual(outcome, { admitted: true, headers: { 'RateLimit-Policy': '"per-second";q=1;w=1, "per-day";q=1;w=86400' } });
    assert.ok(ms < 500, `answered in ${ms} ms`);
  }
  assert.equal(reported.length, 3);
  assert.ok(reported.every((error) => error instanceof Error));
  // The client keeps trying to connect; its errors go to the listener, and the process lives on.
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.ok(refusedConnections.length > 0);
  assert.ok(refusedConnections.every((error) => (error as NodeJS.ErrnoException).code === 'ECONNREFUSED'));
});

test('Redis down, failing closed: every call is refused at once as unavailable, and reported', async () => {
  const reported: unknown[] = [];
  const limits = instance({ clock: fixedClock('2026-12-04T12:00:00Z'), onRedisFailure: 'closed', reportRedisFailure: (error) => void reported.push(error) }, quietRedis(`redis://127.0.0.1:${await freePort()}`));
  for (let call = 0; call < 3; call++) {
    const { outcome, ms } = await timed(() => limits.consume({ applicationId: 'app-1', plan: { ...noLimits, quotaPerMonth: 100 }, routeId: 'route-1' }));
    assert.deepEqual(outcome, { admitted: false, reason: 'unavailable', retryAfterSeconds: 5 });
    assert.ok(ms < 500, `answered in ${ms} ms`);
  }
  assert.equal(reported.length, 3);
  // A plan without limits needs no Redis: admitted, nothing reported.
  assert.deepEqual(await limits.consume({ applicationId: 'app-1', plan: noLimits, routeId: 'route-1' }), { admitted: true, headers: {} });
  assert.equal(reported.length, 3);
});

test('a Redis that goes silent mid-way: no call waits more than the timeout, none at all once the connection is dropped, and counting resumes when it is back', async () => {
  const proxy = await startDatabaseProxy(redisUrl);
  after(() => proxy.close());
  const reported: unknown[] = [];
  const redis = quietRedis(proxy.url);
  const limits = instance({ clock: fixedClock('2026-12-04T12:00:00Z'), onRedisFailure: 'closed', reportRedisFailure: (error) => void reported.push(error) }, redis);
  const input: LimitInput = { applicationId: `app-${randomUUID()}`, plan: { ...noLimits, quotaPerDay: 10 }, routeId: 'route-1' };
  await ready(limits, input);

  await proxy.cut('black-hole');
  const before = reported.length;
  let calls = 0;
  // Each call times out (250 ms) until the silent connection is dropped (2 s); then none waits.
  while (redis.status === 'ready') {
    const { outcome, ms } = await timed(() => limits.consume(input));
    calls++;
    assert.deepEqual(outcome, { admitted: false, reason: 'unavailable', retryAfterSeconds: 5 });
    assert.ok(ms < 500, `a call to a silent Redis answered in ${ms} ms`);
    assert.ok(calls < 20, 'the silent connection was never dropped');
  }
  for (let call = 0; call < 5; call++) {
    const { outcome, ms } = await timed(() => limits.consume(input));
    assert.equal(outcome.admitted === false && outcome.reason, 'unavailable');
    assert.ok(ms < 100, `a call once the connection was dropped answered in ${ms} ms`);
  }
  assert.equal(reported.length - before, calls + 5);

  // The bytes the silent connection held are lost for good, as when the network drops them. (Had
  // they arrived late, the timed-out counts would have counted: a failure is reported, not undone.)
  await proxy.restore({ failover: true });
  await ready(limits, input);
  // Counted: the call before the outage and the one that found Redis back; the refusals of the outage, never.
  assert.equal(await inspector.get(`${prefix}:${input.applicationId}:plan-free:per-day:2026-12-04`), '2');
});

test('a client that would queue or wait without a deadline is refused at startup', () => {
  const slow = new Redis(redisUrl, { lazyConnect: true });
  assert.throws(() => createRateLimits({ redis: slow, keyPrefix: prefix, onRedisFailure: 'open', clock: fixedClock('2026-12-04T12:00:00Z') }), RangeError);
  assert.throws(() => createRateLimits({ redis: new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false }), keyPrefix: prefix, onRedisFailure: 'open', clock: fixedClock('2026-12-04T12:00:00Z') }), RangeError);
});

test('close() disconnects the client, even from a Redis that is down', async () => {
  const redis = quietRedis(`redis://127.0.0.1:${await freePort()}`);
  const limits = createRateLimits({ redis, keyPrefix: prefix, onRedisFailure: 'open', clock: fixedClock('2026-12-04T12:00:00Z') });
  await limits.close();
  assert.equal(redis.status, 'end');
});
