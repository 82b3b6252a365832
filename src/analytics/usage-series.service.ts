import type { Knex } from 'knex';

import { fromSparse, percentile, type LatencyHistogram, type SparseHistogram } from './latency-histogram.ts';
import { sumRollupsByBucket, type UsageBucketRow } from './rollup.store.ts';

/*
 * Usage over time for the portal (one application's calls) and the console (one API's, or all):
 * the minute rollups summed per UTC minute, hour or day, with percentiles read from the merged
 * histograms (within `LATENCY_RELATIVE_ERROR` of the exact ones).
 */

export type UsageBucket = 'minute' | 'hour' | 'day';

export interface UsageQuery {
  applicationId?: string;
  apiId?: string;
  /** A route of the API ('' for the calls under its base path that matched none). */
  routeId?: string;
  /** Only the calls answered with a status of this class. */
  statusClass?: StatusClass;
  /** Minutes from `from`, rounded down to its bucket, up to `to`, not included (a bucket it cuts holds only the minutes before it). */
  from: Date;
  to: Date;
  bucket: UsageBucket;
}

/** In milliseconds. */
export interface LatencyPercentiles {
  p50: number;
  p95: number;
  p99: number;
}

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

export interface UsagePoint {
  /** The bucket's first instant (UTC). */
  start: Date;
  count: number;
  byStatusClass: Record<StatusClass, number>;
  /** Absent when no call of that kind was counted in the bucket (for upstream: none reached one). */
  totalMs?: LatencyPercentiles;
  upstreamMs?: LatencyPercentiles;
  gatewayMs?: LatencyPercentiles;
  requestBytes: number;
  responseBytes: number;
}

const STATUS_CLASS_FROM: Readonly<Record<StatusClass, 100 | 200 | 300 | 400 | 500>> = { '1xx': 100, '2xx': 200, '3xx': 300, '4xx': 400, '5xx': 500 };

const BUCKET_MS: Readonly<Record<UsageBucket, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** A chart has no use for more points than this; a query asking for more is refused. */
export const MAX_USAGE_POINTS = 10_000;

function percentilesOf(histogram: LatencyHistogram): LatencyPercentiles | undefined {
  const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => percentile(histogram, q));
  return p50 === undefined ? undefined : { p50, p95: p95!, p99: p99! };
}

function pointOf(start: Date, row: UsageBucketRow | undefined): UsagePoint {
  const latency = (kind: string) => {
    const sparse = row?.histograms?.[kind];
    return sparse ? percentilesOf(fromSparse(sparse)) : undefined;
  };
  const [totalMs, upstreamMs, gatewayMs] = [latency('total'), latency('upstream'), latency('gateway')];
  return {
    start,
    count: Number(row?.count ?? 0),
    byStatusClass: {
      '1xx': Number(row?.status_1xx ?? 0),
      '2xx': Number(row?.status_2xx ?? 0),
      '3xx': Number(row?.status_3xx ?? 0),
      '4xx': Number(row?.status_4xx ?? 0),
      '5xx': Number(row?.status_5xx ?? 0),
    },
    ...(totalMs ? { totalMs } : {}),
    ...(upstreamMs ? { upstreamMs } : {}),
    ...(gatewayMs ? { gatewayMs } : {}),
    requestBytes: Number(row?.request_bytes ?? 0),
    responseBytes: Number(row?.response_bytes ?? 0),
  };
}

/**
 * One point per bucket from `from`'s bucket up to `to`, oldest first, buckets without calls
 * included (with zeros), so a chart needs no gap filling. Throws a `RangeError` when `from` is not
 * before `to` or the range holds more than `MAX_USAGE_POINTS` buckets.
 *
 * @example
 * const day = await usageSeries(db, { applicationId, from: new Date('2026-12-04T00:00:00Z'), to: new Date('2026-12-05T00:00:00Z'), bucket: 'hour' });
 * // 24 points: { start, count, byStatusClass: { '2xx': 1180, '4xx': 20, … }, totalMs: { p50, p95, p99 }, … }
 */
export async function usageSeries(db: Knex, query: UsageQuery): Promise<UsagePoint[]> {
  return (await usageReport(db, query)).points;
}

/** What a whole range adds up to: a point without its start, with percentiles of the range's merged histograms. */
export type UsageTotal = Omit<UsagePoint, 'start'>;

/** The buckets' rows as one: counts summed, histograms merged bucket by bucket. */
function sumOfRows(rows: readonly UsageBucketRow[]): UsageBucketRow | undefined {
  if (rows.length === 0) return undefined;
  const add = (field: Exclude<keyof UsageBucketRow, 'bucket_start' | 'histograms'>) => String(rows.reduce((sum, row) => sum + Number(row[field]), 0));
  const histograms: Record<string, SparseHistogram> = {};
  for (const row of rows) {
    for (const [kind, sparse] of Object.entries(row.histograms ?? {})) {
      const merged = (histograms[kind] ??= {});
      for (const [index, n] of Object.entries(sparse)) merged[index] = (merged[index] ?? 0) + Number(n);
    }
  }
  return {
    bucket_start: rows[0]!.bucket_start, count: add('count'), status_1xx: add('status_1xx'), status_2xx: add('status_2xx'), status_3xx: add('status_3xx'),
    status_4xx: add('status_4xx'), status_5xx: add('status_5xx'), request_bytes: add('request_bytes'), response_bytes: add('response_bytes'), histograms,
  };
}

/**
 * `usageSeries`'s points and their total over the whole range, whose percentiles come from the
 * histograms merged across the range (not an average of the buckets' percentiles). Same errors.
 *
 * @example
 * const { points, total } = await usageReport(db, { apiId, statusClass: '5xx', from, to, bucket: 'minute' });
 * total.totalMs?.p99; // the range's p99 in ms, undefined without calls
 */
export async function usageReport(db: Knex, query: UsageQuery): Promise<{ points: UsagePoint[]; total: UsageTotal }> {
  const size = BUCKET_MS[query.bucket];
  const from = query.from.getTime();
  const to = query.to.getTime();
  if (!(from < to)) throw new RangeError('from must be before to');
  const first = Math.floor(from / size) * size;
  if ((to - first) / size > MAX_USAGE_POINTS) throw new RangeError(`more than ${MAX_USAGE_POINTS} ${query.bucket} buckets asked for`);
  const rows = await sumRollupsByBucket(db, {
    unit: query.bucket, from: new Date(first), to: query.to, applicationId: query.applicationId, apiId: query.apiId, routeId: query.routeId,
    ...(query.statusClass ? { statusClassFrom: STATUS_CLASS_FROM[query.statusClass] } : {}),
  });
  const byStart = new Map(rows.map((row) => [row.bucket_start.getTime(), row]));
  const points: UsagePoint[] = [];
  for (let start = first; start < to; start += size) points.push(pointOf(new Date(start), byStart.get(start)));
  const { start: _start, ...total } = pointOf(new Date(first), sumOfRows(rows));
  return { points, total };
}
