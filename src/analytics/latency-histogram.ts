/*
 * A latency histogram whose buckets are the same everywhere and for ever: log-spaced, eight to
 * each doubling, from 2^-7 ms (7.8 µs) to 2^17 ms (131 s), with one bucket below and one above.
 * Fixed boundaries are what make histograms mergeable: two instances, or two minutes, add up
 * bucket by bucket, with no loss, and a percentile of the sum is as good as one of the raw
 * samples. The bucket index is what the store keeps, so the boundaries must never change; a new
 * layout would need new columns.
 *
 * Error bound: a percentile is reported as the geometric middle of the bucket the exact
 * (nearest-rank) percentile falls in. A bucket spans a factor g = 2^(1/8), so the estimate is
 * within a factor √g of the truth: relative error at most √g − 1 = 2^(1/16) − 1 ≈ 4.43%, for any
 * latency from 7.8 µs to 131 s. Below that range the estimate is 7.8 µs (off by less than 7.8 µs);
 * above it, 131 s (a floor).
 */

const PER_DOUBLING = 8;
const LOWEST_EXPONENT = -7;
const HIGHEST_EXPONENT = 17;
const LOWEST_MS = 2 ** LOWEST_EXPONENT;
const HIGHEST_MS = 2 ** HIGHEST_EXPONENT;
const LOG_BUCKETS = (HIGHEST_EXPONENT - LOWEST_EXPONENT) * PER_DOUBLING;

/** Buckets in every histogram: one below 2^-7 ms, 192 log-spaced ones, one from 2^17 ms up. */
export const LATENCY_BUCKETS = LOG_BUCKETS + 2;

/** The most a percentile estimate within [2^-7 ms, 2^17 ms) is off by, relative to the exact one. */
export const LATENCY_RELATIVE_ERROR = 2 ** (1 / (2 * PER_DOUBLING)) - 1;

/** Counts per bucket (Float64: exact to 2^53 calls, far beyond any sum of rollups). */
export type LatencyHistogram = Float64Array;

export function emptyHistogram(): LatencyHistogram {
  return new Float64Array(LATENCY_BUCKETS);
}

/** The bucket `ms` falls in. */
export function bucketOf(ms: number): number {
  if (!(ms >= LOWEST_MS)) return 0;
  if (ms >= HIGHEST_MS) return LATENCY_BUCKETS - 1;
  // Clamped because log2 may round a value just under a boundary onto it, or the reverse.
  const index = 1 + Math.floor((Math.log2(ms) - LOWEST_EXPONENT) * PER_DOUBLING);
  return Math.min(Math.max(index, 1), LOG_BUCKETS);
}

/** Counts one call of `ms` milliseconds. The one mutating function: it is on every call's path. */
export function observeLatency(histogram: LatencyHistogram, ms: number): void {
  histogram[bucketOf(ms)]! += 1;
}

/** The element-wise sum of two histograms, as a new one. */
export function mergeHistograms(a: LatencyHistogram, b: LatencyHistogram): LatencyHistogram {
  const sum = emptyHistogram();
  for (let index = 0; index < LATENCY_BUCKETS; index += 1) sum[index] = a[index]! + b[index]!;
  return sum;
}

/** Calls counted in `histogram`. */
export function histogramCount(histogram: LatencyHistogram): number {
  let count = 0;
  for (const n of histogram) count += n;
  return count;
}

/** What a percentile in bucket `index` is reported as (see the error bound above). */
function estimateOf(index: number): number {
  if (index === 0) return LOWEST_MS;
  if (index === LATENCY_BUCKETS - 1) return HIGHEST_MS;
  return 2 ** (LOWEST_EXPONENT + (index - 0.5) / PER_DOUBLING);
}

/**
 * The `q`-quantile (0 < q ≤ 1; 0.99 is p99) in milliseconds, by nearest rank, within
 * `LATENCY_RELATIVE_ERROR` of the exact one; undefined for an empty histogram.
 *
 * @example
 * const h = emptyHistogram();
 * for (const ms of [1.2, 3.4, 250]) observeLatency(h, ms);
 * percentile(h, 0.5); // ≈ 3.4 (3.37…)
 */
export function percentile(histogram: LatencyHistogram, q: number): number | undefined {
  if (!(q > 0 && q <= 1)) throw new RangeError('q must be in (0, 1]');
  const count = histogramCount(histogram);
  if (count === 0) return undefined;
  const rank = Math.ceil(q * count);
  let seen = 0;
  for (let index = 0; index < LATENCY_BUCKETS; index += 1) {
    seen += histogram[index]!;
    if (seen >= rank) return estimateOf(index);
  }
  return estimateOf(LATENCY_BUCKETS - 1);
}

/** Bucket index to count, non-empty buckets only: how the store keeps a histogram (most buckets are empty). */
export type SparseHistogram = Record<string, number>;

export function toSparse(histogram: LatencyHistogram): SparseHistogram {
  const sparse: SparseHistogram = {};
  for (let index = 0; index < LATENCY_BUCKETS; index += 1) {
    if (histogram[index]! > 0) sparse[index] = histogram[index]!;
  }
  return sparse;
}

/** Reads the store's form back; throws on a bucket or count no histogram of ours could hold. */
export function fromSparse(sparse: Readonly<Record<string, unknown>>): LatencyHistogram {
  const histogram = emptyHistogram();
  for (const [key, value] of Object.entries(sparse)) {
    const index = Number(key);
    if (!(Number.isInteger(index) && index >= 0 && index < LATENCY_BUCKETS && String(index) === key)) throw new RangeError(`no latency bucket ${key}`);
    if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) throw new RangeError(`bucket ${key} holds ${String(value)}, not a count`);
    histogram[index] = value;
  }
  return histogram;
}
