import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';

import type { Knex } from 'knex';
import { pino } from 'pino';
import { Registry } from 'prom-client';

import { createAnalytics, type Analytics } from '../../src/analytics/analytics.service.ts';
import type { CallRecord } from '../../src/analytics/call-record.ts';
import { createGatewayMetrics } from '../../src/analytics/gateway-metrics.ts';
import { emptyHistogram, observeLatency, toSparse, type SparseHistogram } from '../../src/analytics/latency-histogram.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';

/** A call of a fresh API (each test owns its rows by API id), 200 in the minute of 12:00 UTC. */
export function callOf(apiId: string, overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    at: new Date('2026-12-04T12:00:15Z'),
    apiId,
    apiName: 'clinics',
    apiVersion: 'v2',
    routeId: 'route-clinic',
    routeTemplate: '/clinics/{clinicId}',
    method: 'GET',
    applicationId: 'app-1',
    planId: 'plan-free',
    clientId: 'client-1',
    consentId: null,
    status: 200,
    totalMs: 12.5,
    upstreamMs: 11,
    gatewayMs: 1.5,
    requestBytes: 100,
    responseBytes: 1500,
    ...overrides,
  };
}

export const newApiId = () => `api-${randomUUID()}`;

/** The stored form of a histogram of `samples`, as the store should hold it. */
export function sparseOf(samples: readonly number[]): SparseHistogram {
  const histogram = emptyHistogram();
  for (const ms of samples) observeLatency(histogram, ms);
  return toSparse(histogram);
}

export interface AnalyticsUnderTest {
  analytics: Analytics;
  registry: Registry;
  /** What it logged, parsed. */
  logs: Array<Record<string, unknown> & { msg: string }>;
  /** The value of a series, 0 when absent. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

/** An analytics instance on its own registry and log, whose timer never fires within a test unless asked. */
export function startAnalytics(db: Knex, options: { flushIntervalMs?: number; maxPendingRows?: number } = {}): AnalyticsUnderTest {
  const registry = new Registry();
  const logs: AnalyticsUnderTest['logs'] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (line: Buffer, _encoding, done) => done(void logs.push(JSON.parse(line.toString()))) }));
  const analytics = createAnalytics({
    db,
    clock: fixedClock('2026-12-04T12:05:00Z'),
    logger,
    flushIntervalMs: options.flushIntervalMs ?? 3_600_000,
    maxPendingRows: options.maxPendingRows ?? 10_000,
    metrics: createGatewayMetrics(registry),
  });
  return {
    analytics,
    registry,
    logs,
    async metric(name, labels = {}) {
      const values = (await registry.getSingleMetric(name)!.get()).values;
      const series = values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label));
      return series?.value ?? 0;
    },
  };
}

/** The stored rows of `apiId`, oldest minute first, with bigints as numbers. */
export async function storedRows(db: Knex, apiId: string): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = await db('analytics_minute_rollups').where({ api_id: apiId }).orderBy(['minute', 'status', 'application_id']);
  return rows.map((row) => ({ ...row, count: Number(row.count), request_bytes: Number(row.request_bytes), response_bytes: Number(row.response_bytes) }));
}
