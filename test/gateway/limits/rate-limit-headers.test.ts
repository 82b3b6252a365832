import assert from 'node:assert/strict';
import { test } from 'node:test';

import { rateLimitHeaders, rateLimitPolicy } from '../../../src/gateway/limits/rate-limit-headers.ts';

const minute = { name: 'per-minute', quota: 50, windowSeconds: 60 };
const day = { name: 'per-day', quota: 1000, windowSeconds: 86400 };

test('RateLimit-Policy lists every policy as a Structured Field List of Strings with q and w', () => {
  assert.deepEqual(rateLimitHeaders(rateLimitPolicy([minute, day]), []), { 'RateLimit-Policy': '"per-minute";q=50;w=60, "per-day";q=1000;w=86400' });
  assert.deepEqual(rateLimitHeaders(rateLimitPolicy([{ name: 'default', quota: 100, windowSeconds: 10 }]), []), { 'RateLimit-Policy': '"default";q=100;w=10' });
});

test('RateLimit gives r and t of the policy with the least remaining', () => {
  const headers = rateLimitHeaders(rateLimitPolicy([minute, day]), [
    { name: 'per-minute', remaining: 7, resetSeconds: 30 },
    { name: 'per-day', remaining: 3, resetSeconds: 4000 },
  ]);
  assert.equal(headers.RateLimit, '"per-day";r=3;t=4000');
});

test('of policies equally close to running out, RateLimit names the one that frees up last', () => {
  const limits = [
    { name: 'per-second', remaining: 0, resetSeconds: 1 },
    { name: 'per-minute', remaining: 0, resetSeconds: 42 },
    { name: 'route-per-second', remaining: 0, resetSeconds: 1 },
  ];
  assert.equal(rateLimitHeaders(rateLimitPolicy([]), limits).RateLimit, '"per-minute";r=0;t=42');
  assert.equal(rateLimitHeaders(rateLimitPolicy([]), [...limits].reverse()).RateLimit, '"per-minute";r=0;t=42');
});

test('no policy, no field; nothing counted, no RateLimit', () => {
  assert.deepEqual(rateLimitHeaders(rateLimitPolicy([]), []), {});
  assert.equal(rateLimitHeaders(rateLimitPolicy([minute]), []).RateLimit, undefined);
});

test('a policy name is serialized as an RFC 9651 String: quotes and backslashes escaped', () => {
  assert.equal(rateLimitHeaders(rateLimitPolicy([{ name: 'a "b" \\c', quota: 1, windowSeconds: 1 }]), [])['RateLimit-Policy'], '"a \\"b\\" \\\\c";q=1;w=1');
});

test('what a Structured Field cannot carry is refused, never sent malformed', () => {
  assert.throws(() => rateLimitHeaders(rateLimitPolicy([{ name: 'caf\u00e9', quota: 1, windowSeconds: 1 }]), []), RangeError);
  assert.throws(() => rateLimitHeaders(rateLimitPolicy([{ name: 'x\ny', quota: 1, windowSeconds: 1 }]), []), RangeError);
  assert.throws(() => rateLimitHeaders(rateLimitPolicy([{ name: 'x', quota: -1, windowSeconds: 1 }]), []), RangeError);
  assert.throws(() => rateLimitHeaders(rateLimitPolicy([{ name: 'x', quota: 1.5, windowSeconds: 1 }]), []), RangeError);
  assert.throws(() => rateLimitHeaders(rateLimitPolicy([{ name: 'x', quota: 10 ** 15, windowSeconds: 1 }]), []), RangeError);
  assert.throws(() => rateLimitHeaders(rateLimitPolicy([]), [{ name: 'x', remaining: Number.NaN, resetSeconds: 1 }]), RangeError);
});
