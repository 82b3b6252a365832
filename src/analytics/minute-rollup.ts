import type { CallRecord } from './call-record.ts';
import type { CallSeries } from './gateway-metrics.ts';
import { emptyHistogram, observeLatency, toSparse, type LatencyHistogram, type SparseHistogram } from './latency-histogram.ts';
import type { RollupRow } from './rollup.store.ts';

/*
 * Calls are added up in process, one accumulator per stored key (minute, API, route, application,
 * plan, status), with dense histograms so that counting a call is a few array writes. Only at a
 * flush do they become the store's sparse rows.
 */

const MINUTE_MS = 60_000;

/** One stored row's worth of calls, still being counted. */
export interface MinuteRollup {
  row: Omit<RollupRow, 'total_ms' | 'upstream_ms' | 'gateway_ms'>;
  totalMs: LatencyHistogram;
  upstreamMs: LatencyHistogram;
  gatewayMs: LatencyHistogram;
  /**
   * The Prometheus series its calls go to, when they all share one: a matched route fixes the
   * method, which the stored key leaves out. Calls that matched no route look theirs up each time.
   */
  series: CallSeries | undefined;
}

/**
 * The stored key of `call`, as one string. NUL separates the parts: PostgreSQL text cannot hold
 * it, so no id contains it.
 */
export function rollupKeyOf(call: CallRecord): string {
  const minute = Math.floor(call.at.getTime() / MINUTE_MS) * MINUTE_MS;
  return `${minute}\0${call.apiId}\0${call.routeId ?? ''}\0${call.applicationId ?? ''}\0${call.planId ?? ''}\0${call.status}`;
}

/** An empty rollup for calls like `call`. */
export function startRollup(call: CallRecord, series: CallSeries | undefined): MinuteRollup {
  return {
    row: {
      minute: new Date(Math.floor(call.at.getTime() / MINUTE_MS) * MINUTE_MS),
      api_id: call.apiId,
      route_id: call.routeId ?? '',
      application_id: call.applicationId ?? '',
      plan_id: call.planId ?? '',
      status: call.status,
      api_name: call.apiName,
      api_version: call.apiVersion,
      route_method: call.routeId === null ? null : call.method,
      route_template: call.routeId === null ? null : call.routeTemplate,
      count: 0,
      request_bytes: 0,
      response_bytes: 0,
    },
    totalMs: emptyHistogram(),
    upstreamMs: emptyHistogram(),
    gatewayMs: emptyHistogram(),
    series,
  };
}

export function addCall(rollup: MinuteRollup, call: CallRecord): void {
  rollup.row.count += 1;
  rollup.row.request_bytes += call.requestBytes;
  rollup.row.response_bytes += call.responseBytes;
  observeLatency(rollup.totalMs, call.totalMs);
  observeLatency(rollup.gatewayMs, call.gatewayMs);
  if (call.upstreamMs !== null) observeLatency(rollup.upstreamMs, call.upstreamMs);
}

export function rowOf(rollup: MinuteRollup): RollupRow {
  return { ...rollup.row, total_ms: toSparse(rollup.totalMs), upstream_ms: toSparse(rollup.upstreamMs), gateway_ms: toSparse(rollup.gatewayMs) };
}

function addSparse(a: SparseHistogram, b: SparseHistogram): SparseHistogram {
  const sum = { ...a };
  for (const [index, count] of Object.entries(b)) sum[index] = (sum[index] ?? 0) + count;
  return sum;
}

/** Two rows of the same key as one: what a failed flush's rows and the next flush's become. */
export function mergeRows(kept: RollupRow, fresh: RollupRow): RollupRow {
  return {
    ...fresh,
    count: kept.count + fresh.count,
    request_bytes: kept.request_bytes + fresh.request_bytes,
    response_bytes: kept.response_bytes + fresh.response_bytes,
    total_ms: addSparse(kept.total_ms, fresh.total_ms),
    upstream_ms: addSparse(kept.upstream_ms, fresh.upstream_ms),
    gateway_ms: addSparse(kept.gateway_ms, fresh.gateway_ms),
  };
}
