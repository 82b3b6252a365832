import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import type { Knex } from 'knex';

import { emptyHistogram, LATENCY_RELATIVE_ERROR, observeLatency, percentile } from '../../src/analytics/latency-histogram.ts';
import { MAX_USAGE_POINTS, usageSeries, type LatencyPercentiles } from '../../src/analytics/usage-series.service.ts';
import { openTestStore, storeKind } from '../helpers/store.ts';
import { callOf, newApiId, startAnalytics } from './analytics-test-kit.ts';

/*
 * What the portal and console chart: rollups summed per minute, hour or day, with percentiles of
 * the merged histograms, whichever instance wrote them.
 */

let db: Knex;
before(async () => {
  db = await openTestStore();
});
after(() => db?.destroy());

/** The percentiles the histogram of `samples` gives: what the merged rollups must give too. */
function percentilesOf(samples: readonly number[]): LatencyPercentiles {
  const histogram = emptyHistogram();
  for (const ms of samples) observeLatency(histogram, ms);
  return { p50: percentile(histogram, 0.5)!, p95: percentile(histogram, 0.95)!, p99: percentile(histogram, 0.99)! };
}

const zeroClasses = { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };

test(`hourly buckets: counts, status classes, bytes and percentiles of histograms merged across instances and minutes (${storeKind})`, async () => {
  const apiId = newApiId();
  const [first, second] = [startAnalytics(db), startAnalytics(db)];
  const tenOClock: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    const totalMs = 5 + i * 1.7;
    const status = i < 150 ? 200 : i < 190 ? 404 : 503;
    // Spread over the hour's minutes and the two instances.
    (i % 2 ? first : second).analytics.record(callOf(apiId, { at: new Date(Date.parse('2026-12-04T10:00:00Z') + i * 17_000), totalMs, status, applicationId: `app-${i % 3}`, requestBytes: 10, responseBytes: 100 }));
    tenOClock.push(totalMs);
  }
  first.analytics.record(callOf(apiId, { at: new Date('2026-12-04T12:59:59Z'), status: 301, upstreamMs: null, totalMs: 0.4, gatewayMs: 0.4 }));
  // Outside the range asked for, on both sides.
  first.analytics.record(callOf(apiId, { at: new Date('2026-12-04T09:59:59Z') }));
  first.analytics.record(callOf(apiId, { at: new Date('2026-12-04T13:00:00Z') }));
  await Promise.all([first.analytics.close(), second.analytics.close()]);

  const points = await usageSeries(db, { apiId, from: new Date('2026-12-04T10:00:00Z'), to: new Date('2026-12-04T13:00:00Z'), bucket: 'hour' });
  assert.deepEqual(points.map((point) => point.start), [new Date('2026-12-04T10:00:00Z'), new Date('2026-12-04T11:00:00Z'), new Date('2026-12-04T12:00:00Z')]);
  const [ten, eleven, twelve] = points;
  assert.deepEqual({ ...ten, totalMs: undefined }, {
    start: new Date('2026-12-04T10:00:00Z'), count: 200, byStatusClass: { ...zeroClasses, '2xx': 150, '4xx': 40, '5xx': 10 },
    totalMs: undefined, upstreamMs: percentilesOf(Array(200).fill(11)), gatewayMs: percentilesOf(Array(200).fill(1.5)), requestBytes: 2000, responseBytes: 20_000,
  });
  assert.deepEqual(ten!.totalMs, percentilesOf(tenOClock));
  const sorted = tenOClock.toSorted((a, b) => a - b);
  for (const [q, estimate] of [[0.5, ten!.totalMs!.p50], [0.95, ten!.totalMs!.p95], [0.99, ten!.totalMs!.p99]] as const) {
    const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
    assert.ok(Math.abs(estimate - exact) / exact <= LATENCY_RELATIVE_ERROR, `p${q * 100}: ${estimate} for ${exact}`);
  }
  assert.deepEqual(eleven, { start: new Date('2026-12-04T11:00:00Z'), count: 0, byStatusClass: zeroClasses, requestBytes: 0, responseBytes: 0 }, 'an hour without calls is a point of zeros');
  assert.deepEqual(twelve, {
    start: new Date('2026-12-04T12:00:00Z'), count: 1, byStatusClass: { ...zeroClasses, '3xx': 1 },
    totalMs: percentilesOf([0.4]), gatewayMs: percentilesOf([0.4]), requestBytes: 100, responseBytes: 1500,
  }, 'no upstream percentiles when no call reached one');
});

test(`one application's usage per minute and per UTC day; from is rounded down to its bucket (${storeKind})`, async () => {
  const apiId = newApiId();
  const applicationId = `app-${randomUUID()}`;
  const { analytics } = startAnalytics(db);
  for (const at of ['2026-12-04T00:00:01Z', '2026-12-04T00:02:30Z', '2026-12-04T00:02:31Z', '2026-12-05T23:59:59Z']) analytics.record(callOf(apiId, { at: new Date(at), applicationId }));
  analytics.record(callOf(apiId, { at: new Date('2026-12-04T00:02:40Z'), applicationId: 'someone-else' }));
  await analytics.close();

  const minutes = await usageSeries(db, { applicationId, from: new Date('2026-12-04T00:00:45Z'), to: new Date('2026-12-04T00:04:00Z'), bucket: 'minute' });
  assert.deepEqual(minutes.map((point) => [point.start.toISOString(), point.count]), [['2026-12-04T00:00:00.000Z', 1], ['2026-12-04T00:01:00.000Z', 0], ['2026-12-04T00:02:00.000Z', 2], ['2026-12-04T00:03:00.000Z', 0]]);
  const days = await usageSeries(db, { applicationId, apiId, from: new Date('2026-12-04T05:00:00Z'), to: new Date('2026-12-06T00:00:00Z'), bucket: 'day' });
  assert.deepEqual(days.map((point) => [point.start.toISOString(), point.count]), [['2026-12-04T00:00:00.000Z', 3], ['2026-12-05T00:00:00.000Z', 1]]);
  const everyone = await usageSeries(db, { apiId, from: new Date('2026-12-04T00:00:00Z'), to: new Date('2026-12-05T00:00:00Z'), bucket: 'day' });
  assert.deepEqual(everyone.map((point) => point.count), [4]);
  const otherApi = await usageSeries(db, { applicationId, apiId: newApiId(), from: new Date('2026-12-04T00:00:00Z'), to: new Date('2026-12-05T00:00:00Z'), bucket: 'day' });
  assert.deepEqual(otherApi.map((point) => point.count), [0]);
});

test('a range that is empty, backwards or too long for its bucket is refused', async () => {
  const from = new Date('2026-12-04T00:00:00Z');
  await assert.rejects(usageSeries(db, { from, to: from, bucket: 'hour' }), RangeError);
  await assert.rejects(usageSeries(db, { from, to: new Date('2026-12-03T00:00:00Z'), bucket: 'day' }), RangeError);
  await assert.rejects(usageSeries(db, { from, to: new Date('invalid'), bucket: 'day' }), RangeError);
  await assert.rejects(usageSeries(db, { from, to: new Date(from.getTime() + (MAX_USAGE_POINTS + 1) * 60_000), bucket: 'minute' }), /more than 10000 minute buckets/);
  assert.equal((await usageSeries(db, { from, to: new Date(from.getTime() + MAX_USAGE_POINTS * 60_000), bucket: 'minute', apiId: newApiId() })).length, MAX_USAGE_POINTS);
});
