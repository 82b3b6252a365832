import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { mock, test } from 'node:test';

import type { GatewayPlan } from '../../../src/gateway/catalogue/catalogue.types.ts';
import type { LimitInput, LimitOutcome } from '../../../src/gateway/limits/limits.types.ts';
import { createRateLimits } from '../../../src/gateway/limits/rate-limits.service.ts';
import { fixedClock } from '../../helpers/fixed-clock.ts';

type Limits = Pick<GatewayPlan, 'id' | 'ratePerSecond' | 'ratePerMinute' | 'quotaPerDay' | 'quotaPerMonth'>;
const noLimits: Limits = { id: 'plan-free', ratePerSecond: null, ratePerMinute: null, quotaPerDay: null, quotaPerMonth: null };

function limiter(at: string) {
  const clock = fixedClock(at);
  const limits = createRateLimits({ keyPrefix: 'test', onRedisFailure: 'closed', clock });
  return { clock, limits };
}

async function calls(consume: () => Promise<LimitOutcome>, count: number): Promise<LimitOutcome[]> {
  const outcomes: LimitOutcome[] = [];
  for (let i = 0; i < count; i++) outcomes.push(await consume());
  return outcomes;
}

test('a rate admits exactly its limit in a window, then refuses with the headers and Retry-After', async () => {
  const { clock, limits } = limiter('2026-12-04T21:20:15.250Z');
  const input: LimitInput = { applicationId: 'app-1', plan: { ...noLimits, ratePerMinute: 3 }, routeId: 'route-1' };
  const outcomes = await calls(() => limits.consume(input), 5);
  assert.deepEqual(outcomes.slice(0, 3), [
    { admitted: true, headers: { 'RateLimit-Policy': '"per-minute";q=3;w=60', RateLimit: '"per-minute";r=2;t=45' } },
    { admitted: true, headers: { 'RateLimit-Policy': '"per-minute";q=3;w=60', RateLimit: '"per-minute";r=1;t=45' } },
    { admitted: true, headers: { 'RateLimit-Policy': '"per-minute";q=3;w=60', RateLimit: '"per-minute";r=0;t=45' } },
  ]);
  const refusal = { admitted: false, reason: 'rate', retryAfterSeconds: 45, headers: { 'RateLimit-Policy': '"per-minute";q=3;w=60', RateLimit: '"per-minute";r=0;t=45', 'Retry-After': '45' } };
  assert.deepEqual(outcomes.slice(3), [refusal, refusal]);

  // Still refused a moment before the minute ends, admitted again as the next one starts.
  clock.advance(44.7);
  assert.deepEqual(await limits.consume(input), { ...refusal, retryAfterSeconds: 1, headers: { ...refusal.headers, RateLimit: '"per-minute";r=0;t=1', 'Retry-After': '1' } });
  clock.advance(0.05);
  assert.deepEqual(await limits.consume(input), { admitted: true, headers: { 'RateLimit-Policy': '"per-minute";q=3;w=60', RateLimit: '"per-minute";r=2;t=60' } });
});

test('a day quota resets at 00:00 UTC, not a day after the first call', async () => {
  const { clock, limits } = limiter('2026-12-04T23:59:58Z');
  const input: LimitInput = { applicationId: 'app-1', plan: { ...noLimits, quotaPerDay: 2 }, routeId: 'route-1' };
  assert.equal((await calls(() => limits.consume(input), 2)).every((outcome) => outcome.admitted), true);
  assert.deepEqual(await limits.consume(input), {
    admitted: false,
    reason: 'quota',
    retryAfterSeconds: 2,
    headers: { 'RateLimit-Policy': '"per-day";q=2;w=86400', RateLimit: '"per-day";r=0;t=2', 'Retry-After': '2' },
  });
  clock.advance(1.999);
  assert.equal((await limits.consume(input)).admitted, false);
  clock.advance(0.001);
  assert.deepEqual(await limits.consume(input), { admitted: true, headers: { 'RateLimit-Policy': '"per-day";q=2;w=86400', RateLimit: '"per-day";r=1;t=86400' } });
});

test('a month quota resets on the 1st at 00:00 UTC', async () => {
  const { clock, limits } = limiter('2026-12-01T00:00:00Z');
  const input: LimitInput = { applicationId: 'app-1', plan: { ...noLimits, quotaPerMonth: 1 }, routeId: 'route-1' };
  assert.equal((await limits.consume(input)).admitted, true);
  clock.advance(30 * 86400 + 86399);
  assert.deepEqual(await limits.consume(input), {
    admitted: false,
    reason: 'quota',
    retryAfterSeconds: 1,
    headers: { 'RateLimit-Policy': '"per-month";q=1;w=2678400', RateLimit: '"per-month";r=0;t=1', 'Retry-After': '1' },
  });
  clock.advance(1);
  assert.deepEqual(await limits.consume(input), { admitted: true, headers: { 'RateLimit-Policy': '"per-month";q=1;w=2678400', RateLimit: '"per-month";r=0;t=2678400' } });
});

test('the same plan tells each month its own length', async () => {
  const { clock, limits } = limiter('2027-01-31T23:59:59Z');
  const input: LimitInput = { applicationId: 'app-1', plan: { ...noLimits, quotaPerMonth: 5 }, routeId: 'route-1' };
  const policyOf = async () => {
    const outcome = await limits.consume(input);
    return 'headers' in outcome ? outcome.headers['RateLimit-Policy'] : undefined;
  };
  assert.equal(await policyOf(), '"per-month";q=5;w=2678400');
  assert.equal(await policyOf(), '"per-month";q=5;w=2678400');
  clock.advance(1);
  assert.equal(await policyOf(), '"per-month";q=5;w=2419200');
});

test('plan and route limits hold together: the call is admitted only if all admit it', async () => {
  const { clock, limits } = limiter('2026-12-04T12:00:00Z');
  const plan: Limits = { id: 'plan-pro', ratePerSecond: 2, ratePerMinute: 100, quotaPerDay: 1000, quotaPerMonth: 20000 };
  const narrow: LimitInput = { applicationId: 'app-1', plan, routeId: 'route-search', routeLimits: { perMinute: 3 } };
  const wide: LimitInput = { applicationId: 'app-1', plan, routeId: 'route-list' };
  const policy = '"per-second";q=2;w=1, "per-minute";q=100;w=60, "per-day";q=1000;w=86400, "per-month";q=20000;w=2678400';

  assert.deepEqual(await limits.consume(narrow), { admitted: true, headers: { 'RateLimit-Policy': `${policy}, "route-per-minute";q=3;w=60`, RateLimit: '"per-second";r=1;t=1' } });
  assert.deepEqual(await limits.consume(narrow), { admitted: true, headers: { 'RateLimit-Policy': `${policy}, "route-per-minute";q=3;w=60`, RateLimit: '"per-second";r=0;t=1' } });
  // The plan's per-second rate refuses, whichever route.
  assert.deepEqual(await limits.consume(wide), {
    admitted: false,
    reason: 'rate',
    retryAfterSeconds: 1,
    headers: { 'RateLimit-Policy': policy, RateLimit: '"per-second";r=0;t=1', 'Retry-After': '1' },
  });
  clock.advance(1);
  assert.deepEqual(await limits.consume(narrow), { admitted: true, headers: { 'RateLimit-Policy': `${policy}, "route-per-minute";q=3;w=60`, RateLimit: '"route-per-minute";r=0;t=59' } });
  clock.advance(1);
  // The route's own rate refuses that route for the rest of the minute; the other route goes on.
  assert.deepEqual(await limits.consume(narrow), {
    admitted: false,
    reason: 'rate',
    retryAfterSeconds: 58,
    headers: { 'RateLimit-Policy': `${policy}, "route-per-minute";q=3;w=60`, RateLimit: '"route-per-minute";r=0;t=58', 'Retry-After': '58' },
  });
  assert.deepEqual(await limits.consume(wide), { admitted: true, headers: { 'RateLimit-Policy': policy, RateLimit: '"per-second";r=1;t=1' } });
});

test('a refused call is taken back from every counter: hammering a rate does not burn the quota', async () => {
  const { clock, limits } = limiter('2026-12-04T12:00:00Z');
  const input: LimitInput = { applicationId: 'app-1', plan: { ...noLimits, ratePerSecond: 2, quotaPerDay: 10 }, routeId: 'route-1' };
  const outcomes = await calls(() => limits.consume(input), 50);
  assert.equal(outcomes.filter((outcome) => outcome.admitted).length, 2);
  clock.advance(1);
  // 2 calls used of the day's 10, this one the third: 48 refusals counted nothing.
  const next = await limits.consume(input);
  assert.deepEqual(next, { admitted: true, headers: { 'RateLimit-Policy': '"per-second";q=2;w=1, "per-day";q=10;w=86400', RateLimit: '"per-second";r=1;t=1' } });
  for (let call = 4; call <= 10; call++) {
    clock.advance(1);
    assert.equal((await limits.consume(input)).admitted, true, `call ${call}`);
  }
  clock.advance(1);
  const exhausted = await limits.consume(input);
  assert.equal(exhausted.admitted === false && exhausted.reason, 'quota');
});

test('a quota refusing stands for the rest of the day, with Retry-After to midnight UTC, even while a rate refuses too', async () => {
  const { limits } = limiter('2026-12-04T20:00:00Z');
  const input: LimitInput = { applicationId: 'app-1', plan: { ...noLimits, ratePerSecond: 1, quotaPerDay: 1 }, routeId: 'route-1' };
  assert.equal((await limits.consume(input)).admitted, true);
  assert.deepEqual(await limits.consume(input), {
    admitted: false,
    reason: 'quota',
    retryAfterSeconds: 4 * 3600,
    headers: { 'RateLimit-Policy': '"per-second";q=1;w=1, "per-day";q=1;w=86400', RateLimit: '"per-day";r=0;t=14400', 'Retry-After': '14400' },
  });
});

test('counters are kept per application and per plan', async () => {
  const { limits } = limiter('2026-12-04T12:00:00Z');
  const plan: Limits = { ...noLimits, quotaPerDay: 1 };
  assert.equal((await limits.consume({ applicationId: 'app-1', plan, routeId: 'r' })).admitted, true);
  assert.equal((await limits.consume({ applicationId: 'app-1', plan, routeId: 'r' })).admitted, false);
  assert.equal((await limits.consume({ applicationId: 'app-2', plan, routeId: 'r' })).admitted, true);
  assert.equal((await limits.consume({ applicationId: 'app-1', plan: { ...plan, id: 'plan-upgraded' }, routeId: 'r' })).admitted, true);
});

test('a plan without limits admits every call, with no RateLimit fields', async () => {
  const { limits } = limiter('2026-12-04T12:00:00Z');
  assert.deepEqual(await calls(() => limits.consume({ applicationId: 'app-1', plan: noLimits, routeId: 'r', routeLimits: {} }), 3), Array(3).fill({ admitted: true, headers: {} }));
});

test('a limit of 0 refuses every call; a limit that is not a whole number of calls is an error', async () => {
  const { limits } = limiter('2026-12-04T12:00:00Z');
  const zero = await limits.consume({ applicationId: 'app-1', plan: { ...noLimits, quotaPerMonth: 0 }, routeId: 'r' });
  assert.equal(zero.admitted === false && zero.reason, 'quota');
  assert.equal(zero.admitted === false && zero.reason !== 'unavailable' && zero.headers.RateLimit, '"per-month";r=0;t=2376000');
  await assert.rejects(limits.consume({ applicationId: 'app-1', plan: noLimits, routeId: 'r', routeLimits: { perSecond: 1.5 } }), RangeError);
  await assert.rejects(limits.consume({ applicationId: 'app-1', plan: { ...noLimits, ratePerMinute: -1 }, routeId: 'r' }), RangeError);
});

test('in memory, a month quota is kept all month: no timer longer than Node allows wipes it', async () => {
  const { limits } = limiter('2026-12-01T00:00:00Z');
  const input: LimitInput = { applicationId: 'app-1', plan: { ...noLimits, quotaPerMonth: 1 }, routeId: 'r' };
  assert.equal((await limits.consume(input)).admitted, true);
  // A timer past 2^31 ms would have fired after 1 ms and dropped the count.
  await sleep(20);
  assert.equal((await limits.consume(input)).admitted, false);
});

test('in memory, the counter of a month that is over is dropped once the next month starts counting', async (t) => {
  t.after(() => mock.timers.reset());
  mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-12-31T23:00:00Z') });
  const { clock, limits } = limiter('2026-12-31T23:00:00Z');
  const input: LimitInput = { applicationId: 'app-1', plan: { ...noLimits, quotaPerMonth: 1 }, routeId: 'r' };
  assert.equal((await limits.consume(input)).admitted, true);
  // Kept past its month's end (for late refunds and lagging clocks)...
  clock.advance(3600 + 30);
  mock.timers.tick((3600 + 30) * 1000);
  assert.equal((await limits.consume(input)).admitted, true);
  clock.advance(-3600);
  assert.equal((await limits.consume(input)).admitted, false, 'December is still counted half a minute into January');
  // ...and dropped when January's next new counter is made after that.
  clock.advance(3600 + 60);
  mock.timers.tick(60 * 1000);
  assert.equal((await limits.consume({ ...input, applicationId: 'app-2' })).admitted, true);
  clock.advance(-3600 - 90);
  assert.equal((await limits.consume(input)).admitted, true, 'December counts from nothing again: its counter is gone');
});
