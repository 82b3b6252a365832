import assert from 'node:assert/strict';
import { test } from 'node:test';

import { applicableLimits } from '../../../src/gateway/limits/limit-policies.ts';

const plan = () => ({ ratePerSecond: 5, ratePerMinute: null, quotaPerDay: 1000, quotaPerMonth: null });

test('the plan first, then the route, each limit set a policy of its own', () => {
  assert.deepEqual(applicableLimits(plan(), 'r1', { perMinute: 30 }), [
    { name: 'per-second', kind: 'rate', period: 'second', quota: 5, counter: 'per-second' },
    { name: 'per-day', kind: 'quota', period: 'day', quota: 1000, counter: 'per-day' },
    { name: 'route-per-minute', kind: 'rate', period: 'minute', quota: 30, counter: 'route:r1:per-minute' },
  ]);
});

test('the same plan and route give the same answer, worked out once', () => {
  const shared = plan();
  assert.equal(applicableLimits(shared, 'r1'), applicableLimits(shared, 'r1'));
  assert.notEqual(applicableLimits(shared, 'r1'), applicableLimits(shared, 'r2'));
  assert.deepEqual(applicableLimits(shared, 'r2', { perSecond: 2 }).map((policy) => policy.counter), ['per-second', 'per-day', 'route:r2:per-second']);
});

test('a plan or route limit changed in place is seen at the next call', () => {
  const changing = plan();
  const routeLimits: { perSecond?: number } = {};
  assert.deepEqual(applicableLimits(changing, 'r1', routeLimits).map((policy) => policy.quota), [5, 1000]);
  changing.ratePerSecond = 7;
  routeLimits.perSecond = 3;
  assert.deepEqual(applicableLimits(changing, 'r1', routeLimits).map((policy) => policy.quota), [7, 1000, 3]);
});

test('a limit that is not a whole number of calls is refused every time', () => {
  const bad = { ...plan(), quotaPerDay: 1.5 };
  for (let i = 0; i < 2; i++) assert.throws(() => applicableLimits(bad, 'r1'), /per-day must be a whole number of calls/);
});
