import type { Knex } from 'knex';

import type { SparseHistogram } from './latency-histogram.ts';

/**
 * One minute of calls that share an API, route, application, plan and status, as stored. Absent
 * ids are '' rather than NULL: NULLs never equal each other in a unique key, so two flushes of
 * anonymous calls would make two rows instead of adding up.
 */
export interface RollupRow {
  minute: Date;
  api_id: string;
  /** '' when no route matched. */
  route_id: string;
  application_id: string;
  plan_id: string;
  status: number;
  api_name: string;
  api_version: string;
  /** The matched route's method and template; null when none matched. */
  route_method: string | null;
  route_template: string | null;
  count: number;
  request_bytes: number;
  response_bytes: number;
  total_ms: SparseHistogram;
  /** Calls that reached an upstream only: its count may be below `count`. */
  upstream_ms: SparseHistogram;
  gateway_ms: SparseHistogram;
}

const TABLE = 'analytics_minute_rollups';
const KEY = ['minute', 'api_id', 'route_id', 'application_id', 'plan_id', 'status'];

// Rows per statement: 16 bindings each, far under PostgreSQL's 65,535, and a statement small enough to plan quickly.
const ROWS_PER_STATEMENT = 1000;

/** The bucket-by-bucket sum of the stored histogram and the incoming one, in SQL. */
function mergedHistogram(column: string): string {
  return `(select coalesce(jsonb_object_agg(key, total), '{}'::jsonb) from (
    select key, sum(value::bigint) as total
    from (select * from jsonb_each_text(${TABLE}.${column}) union all select * from jsonb_each_text(excluded.${column})) as parts
    group by key) as sums)`;
}

/** One order of keys every instance agrees on (not necessarily the index's: only agreement matters). */
function byKey(a: RollupRow, b: RollupRow): number {
  const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return a.minute.getTime() - b.minute.getTime() || text(a.api_id, b.api_id) || text(a.route_id, b.route_id) || text(a.application_id, b.application_id) || text(a.plan_id, b.plan_id) || a.status - b.status;
}

/**
 * Adds `rows` to what is stored: a row whose key is new is inserted; one another instance (or an
 * earlier flush) already wrote gets the counts and bytes added and the histograms merged bucket by
 * bucket. One statement per thousand rows, all in one transaction, so a failure writes nothing and
 * the whole batch can be sent again. Keys must be unique within `rows`.
 *
 * Rows go in one order (by key), so instances flushing the same minute at once lock its rows in the same
 * order: one waits for the other instead of deadlocking (which PostgreSQL would break by failing
 * one flush).
 */
export async function addRollups(db: Knex, rows: readonly RollupRow[]): Promise<void> {
  const ordered = rows.toSorted(byKey);
  await db.transaction(async (trx) => {
    for (let start = 0; start < ordered.length; start += ROWS_PER_STATEMENT) {
      const chunk = ordered.slice(start, start + ROWS_PER_STATEMENT).map((row) => ({
        ...row,
        total_ms: JSON.stringify(row.total_ms),
        upstream_ms: JSON.stringify(row.upstream_ms),
        gateway_ms: JSON.stringify(row.gateway_ms),
      }));
      await trx(TABLE).insert(chunk).onConflict(KEY).merge({
        api_name: trx.raw('excluded.api_name'),
        api_version: trx.raw('excluded.api_version'),
        route_method: trx.raw('excluded.route_method'),
        route_template: trx.raw('excluded.route_template'),
        count: trx.raw(`${TABLE}.count + excluded.count`),
        request_bytes: trx.raw(`${TABLE}.request_bytes + excluded.request_bytes`),
        response_bytes: trx.raw(`${TABLE}.response_bytes + excluded.response_bytes`),
        total_ms: trx.raw(mergedHistogram('total_ms')),
        upstream_ms: trx.raw(mergedHistogram('upstream_ms')),
        gateway_ms: trx.raw(mergedHistogram('gateway_ms')),
      });
    }
  });
}

/** Sums over one bucket of time, with the histograms merged per kind; bigints come as strings. */
export interface UsageBucketRow {
  bucket_start: Date;
  count: string;
  status_1xx: string;
  status_2xx: string;
  status_3xx: string;
  status_4xx: string;
  status_5xx: string;
  request_bytes: string;
  response_bytes: string;
  /** `{ total: { "<bucket>": n }, upstream: …, gateway: … }`; a kind with no calls is absent. */
  histograms: Record<string, Record<string, unknown>> | null;
}

export interface UsageFilter {
  unit: 'minute' | 'hour' | 'day';
  from: Date;
  to: Date;
  applicationId?: string;
  apiId?: string;
  /** '' picks the calls that matched no route. */
  routeId?: string;
  /** Calls answered with a status of this class only: 400 for 4xx. */
  statusClassFrom?: 100 | 200 | 300 | 400 | 500;
}

/**
 * Rollups with `from <= minute < to`, summed per UTC minute, hour or day, oldest first; buckets
 * without calls are absent. One statement, so counts and histograms come from one snapshot.
 */
export async function sumRollupsByBucket(db: Knex, filter: UsageFilter): Promise<UsageBucketRow[]> {
  const conditions = ['minute >= ?', 'minute < ?'];
  const bindings: unknown[] = [filter.unit, filter.from, filter.to];
  if (filter.applicationId !== undefined) {
    conditions.push('application_id = ?');
    bindings.push(filter.applicationId);
  }
  if (filter.apiId !== undefined) {
    conditions.push('api_id = ?');
    bindings.push(filter.apiId);
  }
  if (filter.routeId !== undefined) {
    conditions.push('route_id = ?');
    bindings.push(filter.routeId);
  }
  if (filter.statusClassFrom !== undefined) {
    conditions.push('status >= ? and status < ?');
    bindings.push(filter.statusClassFrom, filter.statusClassFrom + 100);
  }
  const statusClass = (low: number) => `coalesce(sum(count) filter (where status >= ${low} and status < ${low + 100}), 0) as status_${low / 100}xx`;
  const { rows } = await db.raw<{ rows: UsageBucketRow[] }>(`
    with picked as (
      select date_trunc(?, minute at time zone 'UTC') as bucket, status, count, request_bytes, response_bytes, total_ms, upstream_ms, gateway_ms
      from ${TABLE} where ${conditions.join(' and ')}
    ), sums as (
      select bucket, sum(count) as count, ${[100, 200, 300, 400, 500].map(statusClass).join(', ')},
        sum(request_bytes) as request_bytes, sum(response_bytes) as response_bytes
      from picked group by bucket
    ), bucket_counts as (
      select bucket, kind, key, sum(value::bigint) as n
      from picked
      cross join lateral (values ('total', total_ms), ('upstream', upstream_ms), ('gateway', gateway_ms)) as kinds(kind, histogram)
      cross join lateral jsonb_each_text(kinds.histogram)
      group by bucket, kind, key
    ), histograms as (
      select bucket, jsonb_object_agg(kind, counts) as histograms
      from (select bucket, kind, jsonb_object_agg(key, n) as counts from bucket_counts group by bucket, kind) as per_kind
      group by bucket
    )
    select sums.bucket at time zone 'UTC' as bucket_start, sums.count, status_1xx, status_2xx, status_3xx, status_4xx, status_5xx,
      sums.request_bytes, sums.response_bytes, histograms.histograms
    from sums left join histograms using (bucket)
    order by sums.bucket`, bindings as Knex.RawBinding[]);
  return rows;
}

/** One API's or application's calls over a range, with those answered 4xx or 5xx; bigints come as strings. */
export interface UsageTotalRow {
  key: string;
  count: string;
  client_errors: string;
  server_errors: string;
}

/**
 * The APIs (by id) or applications (by id; calls without one are left out) with the most calls in
 * `from <= minute < to`, most first, at most `limit`.
 */
export async function topRollupsBy(db: Knex, by: 'api_id' | 'application_id', range: { from: Date; to: Date; limit: number }): Promise<UsageTotalRow[]> {
  return db(TABLE)
    .select({ key: by })
    .sum({ count: 'count' })
    .select(db.raw('coalesce(sum(count) filter (where status >= 400 and status < 500), 0) as client_errors'), db.raw('coalesce(sum(count) filter (where status >= 500), 0) as server_errors'))
    .where('minute', '>=', range.from).andWhere('minute', '<', range.to).andWhere(by, '<>', '')
    .groupBy(by).orderBy([{ column: 'count', order: 'desc' }, { column: by }]).limit(range.limit) as unknown as Promise<UsageTotalRow[]>;
}
