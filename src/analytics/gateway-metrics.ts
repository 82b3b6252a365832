import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import type { AuditLogStats } from '../audit/audit-log.ts';
import type { ClientCertificateSightingStats } from '../auth/mtls/client-certificate-sightings.ts';
import type { CallRecord } from './call-record.ts';

/*
 * The gateway's Prometheus series, behind a few methods so that no other part imports prom-client.
 * Each app builds them on its own `Registry` (never prom-client's global one), so that tests and
 * several apps in one process never register a metric twice.
 *
 * Label cardinality is bounded on purpose: APIs and routes by name, version and path template
 * (never the raw path), methods as Node's HTTP parser accepts them (a fixed list: it refuses any
 * other before a request reaches us), statuses by class, upstreams by the origins in the
 * catalogue, plans by id. The application label grows with registrations: one series per
 * application and route it calls, which a Prometheus server holds for thousands of applications;
 * beyond that, drop the label at scrape time and read per-application usage from the rollups.
 * An empty label value means "none" (no route matched, an anonymous caller, no plan).
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

/** How a call to an upstream failed without an answer. */
export type UpstreamErrorKind = 'connect' | 'timeout' | 'reset';

/** Why analytics did not count calls: a record out of range, recorded after close, or shed from a full buffer. */
export type DroppedCallReason = 'invalid' | 'closed' | 'buffer_full';

/** The series one kind of call lands in, resolved once and reused: no label lookup per call. */
export interface CallSeries {
  observe(call: CallRecord): void;
}

export interface GatewayMetrics {
  /** The series of calls like `call` (same API, route, method, status class and application). */
  callSeries(call: CallRecord): CallSeries;
  /** `upstream` is an origin from the catalogue (`https://core.internal:8443`): no path, no credentials. */
  setBreakerState(upstream: string, state: BreakerState): void;
  /** Each upstream's breaker as this process last saw it change (never changed: closed, and absent). */
  breakerStates(): ReadonlyMap<string, BreakerState>;
  countUpstreamError(upstream: string, kind: UpstreamErrorKind): void;
  countRateLimitRejection(call: { apiName: string; apiVersion: string; planId: string | null }): void;
  /** Redis did not answer a rate-limit check (the call was then let through or refused, by config). */
  countRedisFailure(): void;
  countAnalyticsFlushFailure(): void;
  countDroppedCalls(reason: DroppedCallReason, calls: number): void;
  setAnalyticsFlushedAt(at: Date): void;
}

/** Totals the audit log keeps itself, copied into counters as they are scraped. */
function auditSeries(registers: Registry[], stats: () => AuditLogStats): void {
  const totals: Array<[string, string, keyof AuditLogStats]> = [
    ['portcullis_audit_written_total', 'Audit entries appended to the chain.', 'written'],
    ['portcullis_audit_write_failures_total', 'Audit batches whose write failed (entries kept queued, or refused when required).', 'writeFailures'],
    ['portcullis_audit_over_limit_total', 'Audit entries recorded while the queue was past its limit.', 'overLimit'],
    ['portcullis_audit_unwritten_total', 'Audit entries that never reached the store and were logged instead.', 'unwritten'],
  ];
  for (const [name, help, field] of totals) {
    new Counter({ name, help, registers, collect() {
      this.reset();
      this.inc(stats()[field]);
    } });
  }
  new Gauge({ name: 'portcullis_audit_queued', help: 'Audit entries waiting to be written.', registers, collect() {
    this.set(stats().queued);
  } });
}

/** The record of clients' transport certificates (`client-certificate-sightings.ts`), copied into counters as they are scraped. */
function clientCertificateSeries(registers: Registry[], stats: () => ClientCertificateSightingStats): void {
  const totals: Array<[string, string, keyof ClientCertificateSightingStats]> = [
    ['portcullis_client_certificates_written_total', 'Sightings of clients\' transport certificates written to the store.', 'written'],
    ['portcullis_client_certificates_write_failures_total', 'Sightings of clients\' transport certificates whose write failed (tried again at the next sighting).', 'failures'],
    ['portcullis_client_certificates_shed_total', 'Sightings of clients\' transport certificates not written because too many writes were in flight.', 'shed'],
  ];
  for (const [name, help, field] of totals) {
    new Counter({ name, help, registers, collect() {
      this.reset();
      this.inc(stats()[field]);
    } });
  }
}

const BREAKER_VALUES: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

// The gateway's own time is sub-millisecond when all is well; upstreams take from a millisecond to their timeout.
const GATEWAY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
const UPSTREAM_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const ROUTE_LABELS = ['api', 'version', 'route', 'method'] as const;

/**
 * `auditStats`: the audit log's own counters (see `AuditLogStats`), read when /metrics is
 * scraped, so that a write failure, an overfull queue or an entry that never reached the store is
 * visible where operators alert, not only in the log. `clientCertificateStats` likewise, for the
 * record of the transport certificates clients authenticate with.
 */
export function createGatewayMetrics(registry: Registry, options: { auditStats?: () => AuditLogStats; clientCertificateStats?: () => ClientCertificateSightingStats } = {}): GatewayMetrics {
  const registers = [registry];
  const requests = new Counter({ name: 'portcullis_gateway_requests_total', help: 'Calls answered, by API, route template, method, status class and application.', labelNames: [...ROUTE_LABELS, 'status_class', 'application'], registers });
  const gatewayLatency = new Histogram({ name: 'portcullis_gateway_latency_seconds', help: "The gateway's own time per call: total minus the time waiting on upstreams.", labelNames: ROUTE_LABELS, buckets: GATEWAY_BUCKETS, registers });
  const upstreamLatency = new Histogram({ name: 'portcullis_gateway_upstream_latency_seconds', help: 'Time waiting on upstreams per call that reached one.', labelNames: ROUTE_LABELS, buckets: UPSTREAM_BUCKETS, registers });
  const upstreamErrors = new Counter({ name: 'portcullis_gateway_upstream_errors_total', help: 'Upstream calls that got no answer, by upstream origin and kind (connect, timeout, reset).', labelNames: ['upstream', 'kind'], registers });
  const breakerState = new Gauge({ name: 'portcullis_gateway_upstream_breaker_state', help: 'Circuit breaker per upstream origin: 0 closed, 1 half-open, 2 open.', labelNames: ['upstream'], registers });
  const rateLimitRejections = new Counter({ name: 'portcullis_gateway_rate_limit_rejections_total', help: 'Calls refused with 429, by API and plan.', labelNames: ['api', 'version', 'plan'], registers });
  const redisFailures = new Counter({ name: 'portcullis_gateway_redis_failures_total', help: 'Rate-limit checks Redis failed to answer.', registers });
  const breakers = new Map<string, BreakerState>();
  const { auditStats, clientCertificateStats } = options;
  if (auditStats) auditSeries(registers, auditStats);
  if (clientCertificateStats) clientCertificateSeries(registers, clientCertificateStats);
  const flushFailures = new Counter({ name: 'portcullis_analytics_flush_failures_total', help: 'Analytics flushes that failed; their rollups are kept for the next one.', registers });
  const droppedCalls = new Counter({ name: 'portcullis_analytics_dropped_calls_total', help: 'Calls left out of the analytics rollups, by reason (invalid, closed, buffer_full).', labelNames: ['reason'], registers });
  const flushedAt = new Gauge({ name: 'portcullis_analytics_last_flush_timestamp_seconds', help: 'When analytics rollups were last written.', registers });

  return {
    callSeries(call) {
      const route = [call.apiName, call.apiVersion, call.routeTemplate ?? '', call.method] as const;
      const counted = requests.labels(...route, `${Math.floor(call.status / 100)}xx`, call.applicationId ?? '');
      const gateway = gatewayLatency.labels(...route);
      const upstream = upstreamLatency.labels(...route);
      return {
        observe(next) {
          counted.inc();
          gateway.observe(next.gatewayMs / 1000);
          if (next.upstreamMs !== null) upstream.observe(next.upstreamMs / 1000);
        },
      };
    },
    setBreakerState(upstream, state) {
      breakers.set(upstream, state);
      breakerState.labels(upstream).set(BREAKER_VALUES[state]);
    },
    breakerStates: () => new Map(breakers),
    countUpstreamError: (upstream, kind) => upstreamErrors.labels(upstream, kind).inc(),
    countRateLimitRejection: (call) => rateLimitRejections.labels(call.apiName, call.apiVersion, call.planId ?? '').inc(),
    countRedisFailure: () => redisFailures.inc(),
    countAnalyticsFlushFailure: () => flushFailures.inc(),
    countDroppedCalls: (reason, calls) => droppedCalls.labels(reason).inc(calls),
    setAnalyticsFlushedAt: (at) => flushedAt.set(at.getTime() / 1000),
  };
}
