import assert from 'node:assert/strict';
import { test } from 'node:test';

import { bucketOf, emptyHistogram, fromSparse, histogramCount, LATENCY_BUCKETS, LATENCY_RELATIVE_ERROR, mergeHistograms, observeLatency, percentile, toSparse, type LatencyHistogram } from '../../src/analytics/latency-histogram.ts';

/** A seeded generator (mulberry32): the same samples on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function histogramOf(samples: readonly number[]): LatencyHistogram {
  const histogram = emptyHistogram();
  for (const ms of samples) observeLatency(histogram, ms);
  return histogram;
}

/** The nearest-rank percentile of the samples themselves. */
function exactPercentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1]!;
}

const QUANTILES = [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

const next = random(42);
const DISTRIBUTIONS: Record<string, number[]> = {
  // From 8 µs to 100 s, evenly on a log scale.
  'log-uniform': Array.from({ length: 20_000 }, () => 2 ** (-6.9 + next() * 23.5)),
  // A gateway's own time: tightly around 0.3 ms, with a few slow outliers.
  'tight with outliers': Array.from({ length: 10_000 }, (_, i) => (i % 500 === 0 ? 40 + next() * 200 : 0.25 + next() * 0.1)),
  // An upstream: a long right tail (log-normal, median 20 ms).
  'long tail': Array.from({ length: 10_000 }, () => 20 * Math.exp(Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()))),
};

test(`percentiles are within ${(LATENCY_RELATIVE_ERROR * 100).toFixed(2)}% of the exact ones`, () => {
  assert.ok(Math.abs(LATENCY_RELATIVE_ERROR - 0.0443) < 0.0001, 'the bound stated in the module: 2^(1/16) - 1');
  for (const [name, samples] of Object.entries(DISTRIBUTIONS)) {
    const histogram = histogramOf(samples);
    assert.equal(histogramCount(histogram), samples.length);
    for (const q of QUANTILES) {
      const exact = exactPercentile(samples, q);
      const estimate = percentile(histogram, q)!;
      assert.ok(Math.abs(estimate - exact) / exact <= LATENCY_RELATIVE_ERROR + 1e-12, `${name} q=${q}: ${estimate} for ${exact}`);
    }
  }
});

test('the bound is reached at a bucket edge, and not exceeded at either edge', () => {
  for (const ms of [1, 2 ** (1 / 8) * 0.999999, 0.5, 300]) {
    const estimate = percentile(histogramOf([ms]), 0.5)!;
    assert.ok(Math.abs(estimate - ms) / ms <= LATENCY_RELATIVE_ERROR + 1e-12, `${ms} -> ${estimate}`);
  }
  const atEdge = percentile(histogramOf([1]), 1)!;
  assert.ok(Math.abs((atEdge - 1) - LATENCY_RELATIVE_ERROR) < 1e-12, '1 ms opens its bucket: the estimate is √g times it');
});

test('buckets are log-spaced: eight to each doubling, one below 2^-7 ms and one from 2^17 ms', () => {
  assert.equal(LATENCY_BUCKETS, 194);
  assert.equal(bucketOf(0), 0);
  assert.equal(bucketOf(2 ** -7 * 0.99), 0);
  assert.equal(bucketOf(2 ** -7), 1);
  assert.equal(bucketOf(1), 57);
  assert.equal(bucketOf(2), 65);
  assert.equal(bucketOf(2 ** 17 * 0.999), 192);
  assert.equal(bucketOf(2 ** 17), 193);
  assert.equal(bucketOf(3_600_000), 193);
  for (let index = 1; index < 193; index += 1) {
    const lower = 2 ** (-7 + (index - 1) / 8);
    assert.equal(bucketOf(lower * 1.0000001), index);
    assert.equal(bucketOf(lower * 2 ** (1 / 8) * 0.9999999), index);
  }
});

test('out of range: below 2^-7 ms reads as 2^-7 ms, from 2^17 ms up as 2^17 ms (a floor)', () => {
  assert.equal(percentile(histogramOf([0, 0.001]), 0.99), 2 ** -7);
  assert.equal(percentile(histogramOf([600_000]), 0.5), 2 ** 17);
});

test('merging is a bucket-by-bucket sum: same percentiles as one histogram of all the samples', () => {
  const [a, b] = [DISTRIBUTIONS['log-uniform']!, DISTRIBUTIONS['long tail']!];
  const merged = mergeHistograms(histogramOf(a), histogramOf(b));
  assert.deepEqual(merged, histogramOf([...a, ...b]));
  assert.deepEqual(mergeHistograms(histogramOf(b), histogramOf(a)), merged, 'commutative');
  assert.deepEqual(mergeHistograms(merged, emptyHistogram()), merged, 'the empty histogram changes nothing');
  const c = DISTRIBUTIONS['tight with outliers']!;
  assert.deepEqual(mergeHistograms(merged, histogramOf(c)), mergeHistograms(histogramOf(a), mergeHistograms(histogramOf(b), histogramOf(c))), 'associative');
  const all = [...a, ...b, ...c];
  for (const q of QUANTILES) {
    const exact = exactPercentile(all, q);
    const estimate = percentile(mergeHistograms(merged, histogramOf(c)), q)!;
    assert.ok(Math.abs(estimate - exact) / exact <= LATENCY_RELATIVE_ERROR + 1e-12, `merged q=${q}`);
  }
  assert.equal(histogramCount(histogramOf(a)), a.length, 'merging made a new histogram; its parts are unchanged');
});

test('an empty histogram has no percentiles; q must be in (0, 1]', () => {
  assert.equal(percentile(emptyHistogram(), 0.5), undefined);
  for (const q of [0, -0.5, 1.01, Number.NaN]) assert.throws(() => percentile(histogramOf([1]), q), RangeError);
});

test('the stored form keeps only non-empty buckets and reads back exactly', () => {
  const histogram = histogramOf([1, 1, 250, 0]);
  assert.deepEqual(toSparse(histogram), { 0: 1, 57: 2, [bucketOf(250)]: 1 });
  assert.deepEqual(fromSparse(toSparse(histogram)), histogram);
  assert.deepEqual(toSparse(emptyHistogram()), {});
  for (const bad of [{ 194: 1 }, { '-1': 1 }, { 1.5: 1 }, { '01': 1 }, { x: 1 }, { 3: -1 }, { 3: 1.5 }, { 3: 'many' }, { 3: '2' }, { 3: null }]) {
    assert.throws(() => fromSparse(bad), RangeError, JSON.stringify(bad));
  }
});
