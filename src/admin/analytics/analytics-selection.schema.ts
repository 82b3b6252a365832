import { z } from 'zod';

import { MAX_USAGE_POINTS, type StatusClass, type UsageBucket } from '../../analytics/usage-series.service.ts';
import { issuePath } from '../../gateway/catalogue/catalogue.schema.ts';

/*
 * What the analytics show, read from a query string by both the console's Analytics page and the
 * admin API's `GET /admin/v1/analytics`: filters (API, route, application, status class), a period
 * (a range ending now, or a custom `from`/`to`), an optional second period to compare with, and
 * the answer's format. Any other parameter, one given twice or a value out of range is a mistake
 * the caller is told about, field by field; an empty value is the same as none (a form's "All").
 *
 * Instants are ISO 8601 (`2026-12-06T10:00:00Z`); without an offset (what a browser's
 * `datetime-local` field sends, `2026-12-06T10:00`) or as a bare date they are UTC, as the
 * rollups' minutes, hours and days are.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The ranges that end now: how far back, and the bucket each point covers. */
export const ANALYTICS_RANGES = {
  hour: { label: 'Last hour', ms: HOUR_MS, bucket: 'minute' },
  day: { label: 'Last 24 hours', ms: DAY_MS, bucket: 'hour' },
  '7d': { label: 'Last 7 days', ms: 7 * DAY_MS, bucket: 'day' },
  '30d': { label: 'Last 30 days', ms: 30 * DAY_MS, bucket: 'day' },
} as const satisfies Record<string, { label: string; ms: number; bucket: UsageBucket }>;

export type AnalyticsRange = keyof typeof ANALYTICS_RANGES;

/** Milliseconds in each bucket. */
export const ANALYTICS_BUCKET_MS: Readonly<Record<UsageBucket, number>> = { minute: 60_000, hour: HOUR_MS, day: DAY_MS };
/** A custom period is at most a year and a day (a leap year's worth of daily points). */
const MAX_SPAN_MS = 366 * DAY_MS;

export interface Period {
  from: Date;
  to: Date;
}

export interface AnalyticsSelection extends Period {
  apiId?: string;
  routeId?: string;
  applicationId?: string;
  statusClass?: StatusClass;
  range: AnalyticsRange | 'custom';
  bucket: UsageBucket;
  /** The second period, summed in the same buckets. */
  compare?: Period & { kind: 'previous' | 'custom' };
  /** Asked for by name; absent when the caller left it to `Accept`. */
  format?: 'json' | 'csv';
}

export interface SelectionIssue {
  path: string;
  message: string;
}

export type SelectionReading = { ok: true; value: AnalyticsSelection } | { ok: false; errors: SelectionIssue[] };

const blankIsAbsent = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsAbsent, schema.optional());
// A parameter given twice arrives as an array.
const ONCE = 'must be given once';
const id = optional(z.string(ONCE).max(200, 'must be at most 200 characters'));
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const instant = optional(z.string(ONCE)
  .regex(INSTANT, 'must be an ISO 8601 date or date and time, e.g. 2026-12-06T10:00:00Z')
  .transform((text, ctx) => {
    const zoned = /T.*(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : text.includes('T') ? `${text}Z` : `${text}T00:00:00Z`;
    const at = new Date(zoned);
    if (Number.isNaN(at.getTime())) ctx.addIssue({ code: 'custom', message: 'is not a date that exists' });
    return at;
  }));

const query = z.strictObject({
  apiId: id,
  routeId: id,
  applicationId: id,
  status: optional(z.enum(['1xx', '2xx', '3xx', '4xx', '5xx'], 'must be one of 1xx, 2xx, 3xx, 4xx, 5xx')),
  range: optional(z.enum([...Object.keys(ANALYTICS_RANGES) as AnalyticsRange[], 'custom'], `must be one of ${Object.keys(ANALYTICS_RANGES).join(', ')}, custom`)),
  from: instant,
  to: instant,
  compare: optional(z.enum(['previous', 'custom'], 'must be previous or custom')),
  compareFrom: instant,
  compareTo: instant,
  format: optional(z.enum(['json', 'csv'], 'must be json or csv')),
});

/** Minute buckets up to 3 hours, hours up to 2 days, then days: a chart of at most a few hundred points. */
function bucketFor(spanMs: number): UsageBucket {
  return spanMs <= 3 * HOUR_MS ? 'minute' : spanMs <= 2 * DAY_MS ? 'hour' : 'day';
}

/** A preset range ending with the bucket `now` is in (today so far, this minute so far). */
function endingNow(range: AnalyticsRange, now: Date): Period {
  const size = ANALYTICS_BUCKET_MS[ANALYTICS_RANGES[range].bucket];
  const to = (Math.floor(now.getTime() / size) + 1) * size;
  return { from: new Date(to - ANALYTICS_RANGES[range].ms), to: new Date(to) };
}

/** A custom period's issues: both ends, in order, no longer than a year. */
function customPeriod(from: Date | undefined, to: Date | undefined, names: [string, string], issues: SelectionIssue[]): Period | undefined {
  if (!from) issues.push({ path: names[0], message: 'is needed for a custom period' });
  if (!to) issues.push({ path: names[1], message: 'is needed for a custom period' });
  if (!from || !to) return undefined;
  if (!(from < to)) issues.push({ path: names[1], message: `must be after ${names[0]}` });
  else if (to.getTime() - from.getTime() > MAX_SPAN_MS) issues.push({ path: names[1], message: `must be at most 366 days after ${names[0]}` });
  return { from, to };
}

/**
 * Reads the selection from a query (`ctx.query`), with `now` ending the preset ranges. Without a
 * range or dates it is the last 24 hours; `from` and `to` make a custom period (`range` then
 * absent or `custom`); `compare=previous` is the period of the same length just before,
 * `compare=custom` takes `compareFrom` and `compareTo`.
 *
 * @example
 * readAnalyticsSelection({ apiId: 'api-1', range: 'hour', compare: 'previous' }, new Date())
 * // { ok: true, value: { apiId: 'api-1', range: 'hour', bucket: 'minute', from, to, compare: { kind: 'previous', from, to } } }
 */
export function readAnalyticsSelection(input: Record<string, unknown>, now: Date): SelectionReading {
  const parsed = query.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: key, message: 'is not a parameter of the analytics: a misspelt filter would show every call' }))
      : [{ path: issuePath(issue.path), message: issue.message }]));
    return { ok: false, errors };
  }
  const given = parsed.data;
  const issues: SelectionIssue[] = [];
  const preset = given.range === 'custom' ? undefined : given.range;
  const custom = given.range === 'custom' || (given.range === undefined && (given.from !== undefined || given.to !== undefined));
  if (!custom && (given.from || given.to)) issues.push({ path: given.from ? 'from' : 'to', message: 'is for a custom period: leave range out, or make it custom' });
  const period = custom ? customPeriod(given.from, given.to, ['from', 'to'], issues) : endingNow(preset ?? 'day', now);
  if (given.compare !== 'custom' && (given.compareFrom || given.compareTo)) issues.push({ path: given.compareFrom ? 'compareFrom' : 'compareTo', message: 'is for compare=custom' });
  const second = given.compare === 'custom' ? customPeriod(given.compareFrom, given.compareTo, ['compareFrom', 'compareTo'], issues) : undefined;
  if (!period || issues.length > 0) return { ok: false, errors: issues };
  const span = period.to.getTime() - period.from.getTime();
  const bucket: UsageBucket = custom ? bucketFor(span) : ANALYTICS_RANGES[preset ?? 'day'].bucket;
  if (second && (second.to.getTime() - second.from.getTime()) / ANALYTICS_BUCKET_MS[bucket] > MAX_USAGE_POINTS) {
    return { ok: false, errors: [{ path: 'compareTo', message: `makes a second period of more than ${MAX_USAGE_POINTS} ${bucket}s, the first period's points: make it shorter` }] };
  }
  // The rollups are summed per whole bucket: a custom period starts at its first bucket's start.
  const aligned = (at: Date) => new Date(Math.floor(at.getTime() / ANALYTICS_BUCKET_MS[bucket]) * ANALYTICS_BUCKET_MS[bucket]);
  const first = custom ? { from: aligned(period.from), to: period.to } : period;
  const compare = given.compare === 'previous'
    ? { kind: 'previous' as const, from: new Date(first.from.getTime() - (first.to.getTime() - first.from.getTime())), to: first.from }
    : second && { kind: 'custom' as const, from: aligned(second.from), to: second.to };
  return {
    ok: true,
    value: {
      ...(given.apiId !== undefined ? { apiId: given.apiId } : {}),
      ...(given.routeId !== undefined ? { routeId: given.routeId } : {}),
      ...(given.applicationId !== undefined ? { applicationId: given.applicationId } : {}),
      ...(given.status !== undefined ? { statusClass: given.status } : {}),
      range: custom ? 'custom' : preset ?? 'day',
      ...first,
      bucket,
      ...(compare ? { compare } : {}),
      ...(given.format ? { format: given.format } : {}),
    },
  };
}
