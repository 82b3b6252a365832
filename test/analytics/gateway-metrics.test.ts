import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import Koa from 'koa';
import type { Knex } from 'knex';
import { Registry } from 'prom-client';

import { createGatewayMetrics } from '../../src/analytics/gateway-metrics.ts';
import { openStore } from '../../src/db/knex.ts';
import { metricsEndpoint } from '../../src/observability/metrics-endpoint.ts';
import { processMetrics } from '../../src/observability/process-metrics.ts';
import { refusedDatabaseUrl } from '../helpers/unreachable-database.ts';
import { callOf, newApiId, startAnalytics } from './analytics-test-kit.ts';

/*
 * What a Prometheus server scrapes: the calls `record` saw, by API, route template, method,
 * status class and application, with the gateway's and the upstreams' latency apart, and the
 * counters and gauges the other steps set through `GatewayMetrics`, and the audit log's and the
 * client certificate record's own counts.
 */

// Metrics never touch the store; this one is never reached.
let db: Knex;
before(async () => {
  db = openStore({ databaseUrl: await refusedDatabaseUrl() });
  await db.destroy();
});

async function serve(...registries: [Registry, ...Registry[]]): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Koa();
  app.use(metricsEndpoint(registries));
  app.use(function notFound(ctx) {
    ctx.status = 404;
    ctx.body = 'elsewhere';
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('GET /metrics has the series of recorded calls and of the other steps, in the Prometheus text format', async () => {
  const { analytics, registry } = startAnalytics(db);
  const apiId = newApiId();
  for (let i = 0; i < 3; i += 1) analytics.record(callOf(apiId, { gatewayMs: 0.3, upstreamMs: 40 }));
  analytics.record(callOf(apiId, { status: 502, gatewayMs: 0.3, upstreamMs: 4000 }));
  analytics.record(callOf(apiId, { routeId: null, routeTemplate: null, method: 'PROPFIND', status: 404, applicationId: null, upstreamMs: null, gatewayMs: 0.2 }));
  analytics.record(callOf(apiId, { routeId: null, routeTemplate: null, method: 'GET', status: 404, applicationId: null, upstreamMs: null, gatewayMs: 0.2 }));
  analytics.record(callOf(apiId, { at: new Date('2026-12-04T12:01:00Z'), gatewayMs: 0.3, upstreamMs: 40 }));

  const served = await serve(registry);
  after(() => served.close());
  const response = await fetch(`${served.url}/metrics`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const text = await response.text();
  const route = 'api="clinics",version="v2",route="/clinics/{clinicId}",method="GET"';
  for (const line of [
    `portcullis_gateway_requests_total{${route},status_class="2xx",application="app-1"} 4`,
    `portcullis_gateway_requests_total{${route},status_class="5xx",application="app-1"} 1`,
    'portcullis_gateway_requests_total{api="clinics",version="v2",route="",method="PROPFIND",status_class="4xx",application=""} 1',
    'portcullis_gateway_requests_total{api="clinics",version="v2",route="",method="GET",status_class="4xx",application=""} 1',
    `portcullis_gateway_latency_seconds_bucket{le="0.00025",${route}} 0`,
    `portcullis_gateway_latency_seconds_bucket{le="0.0005",${route}} 5`,
    `portcullis_gateway_latency_seconds_count{${route}} 5`,
    `portcullis_gateway_upstream_latency_seconds_bucket{le="0.05",${route}} 4`,
    `portcullis_gateway_upstream_latency_seconds_bucket{le="5",${route}} 5`,
    `portcullis_gateway_upstream_latency_seconds_count{${route}} 5`,
    'portcullis_gateway_latency_seconds_count{api="clinics",version="v2",route="",method="GET"} 1',
    'portcullis_gateway_redis_failures_total 0',
    'portcullis_analytics_flush_failures_total 0',
  ]) {
    assert.ok(text.split('\n').includes(line), `missing: ${line}`);
  }
  assert.ok(!text.includes('portcullis_gateway_upstream_latency_seconds_count{api="clinics",version="v2",route=""'), 'calls that reached no upstream are not in its histogram');
  assert.ok(!/apiId|api-[0-9a-f]{8}-/.test(text), 'labelled by name and version, not by id');
  await assert.rejects(analytics.close(), 'the final flush has no store to go to, and says so');
});

test('the other steps count through GatewayMetrics: breaker state, upstream errors, rate-limit rejections, Redis and audit failures', async () => {
  const registry = new Registry();
  const metrics = createGatewayMetrics(registry);
  const upstream = 'https://core.internal:8443';
  metrics.setBreakerState(upstream, 'open');
  metrics.setBreakerState('https://other.internal', 'half-open');
  metrics.countUpstreamError(upstream, 'timeout');
  metrics.countUpstreamError(upstream, 'timeout');
  metrics.countUpstreamError(upstream, 'connect');
  metrics.countRateLimitRejection({ apiName: 'clinics', apiVersion: 'v2', planId: 'plan-free' });
  metrics.countRateLimitRejection({ apiName: 'clinics', apiVersion: 'v2', planId: null });
  metrics.countRedisFailure();
  const lines = (await registry.metrics()).split('\n');
  for (const line of [
    `portcullis_gateway_upstream_breaker_state{upstream="${upstream}"} 2`,
    'portcullis_gateway_upstream_breaker_state{upstream="https://other.internal"} 1',
    `portcullis_gateway_upstream_errors_total{upstream="${upstream}",kind="timeout"} 2`,
    `portcullis_gateway_upstream_errors_total{upstream="${upstream}",kind="connect"} 1`,
    'portcullis_gateway_rate_limit_rejections_total{api="clinics",version="v2",plan="plan-free"} 1',
    'portcullis_gateway_rate_limit_rejections_total{api="clinics",version="v2",plan=""} 1',
    'portcullis_gateway_redis_failures_total 1',
  ]) {
    assert.ok(lines.includes(line), `missing: ${line}`);
  }
  metrics.setBreakerState(upstream, 'closed');
  assert.ok((await registry.metrics()).split('\n').includes(`portcullis_gateway_upstream_breaker_state{upstream="${upstream}"} 0`));
});

test('two apps in one process keep their own series: each has its own registry', async () => {
  const [one, two] = [new Registry(), new Registry()];
  createGatewayMetrics(one).countRedisFailure();
  createGatewayMetrics(two);
  assert.ok((await one.metrics()).includes('portcullis_gateway_redis_failures_total 1'));
  assert.ok((await two.metrics()).includes('portcullis_gateway_redis_failures_total 0'));
  assert.throws(() => createGatewayMetrics(one), /already been registered/, 'one registry holds each metric once');
});

test('/metrics answers GET and HEAD only; other paths go on to the next middleware', async () => {
  const registry = new Registry();
  createGatewayMetrics(registry);
  const served = await serve(registry);
  after(() => served.close());
  const post = await fetch(`${served.url}/metrics`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
  const head = await fetch(`${served.url}/metrics`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
  const elsewhere = await fetch(`${served.url}/metrics/extra`);
  assert.deepEqual([elsewhere.status, await elsewhere.text()], [404, 'elsewhere']);
});

test("the audit log's own counts are scraped as they stand: written, failed batches, over the limit, never written, queued", async () => {
  const registry = new Registry();
  const stats = { queued: 3, written: 120, writeFailures: 2, overLimit: 0, unwritten: 1 };
  createGatewayMetrics(registry, { auditStats: () => stats });
  const scrape = async () => (await registry.metrics()).split('\n');
  let lines = await scrape();
  for (const line of ['portcullis_audit_queued 3', 'portcullis_audit_written_total 120', 'portcullis_audit_write_failures_total 2', 'portcullis_audit_over_limit_total 0', 'portcullis_audit_unwritten_total 1']) {
    assert.ok(lines.includes(line), `missing: ${line}`);
  }
  stats.written = 125;
  stats.writeFailures = 3;
  stats.queued = 0;
  lines = await scrape();
  for (const line of ['portcullis_audit_queued 0', 'portcullis_audit_written_total 125', 'portcullis_audit_write_failures_total 3']) {
    assert.ok(lines.includes(line), `missing after the next write: ${line}`);
  }
});

test("the record of clients' transport certificates is scraped as it stands: written, failed writes, shed sightings", async () => {
  const registry = new Registry();
  const stats = { written: 7, failures: 1, shed: 0 };
  createGatewayMetrics(registry, { clientCertificateStats: () => stats });
  const scrape = async () => (await registry.metrics()).split('\n');
  for (const line of ['portcullis_client_certificates_written_total 7', 'portcullis_client_certificates_write_failures_total 1', 'portcullis_client_certificates_shed_total 0']) {
    assert.ok((await scrape()).includes(line), `missing: ${line}`);
  }
  stats.failures = 4;
  stats.shed = 2;
  const lines = await scrape();
  for (const line of ['portcullis_client_certificates_write_failures_total 4', 'portcullis_client_certificates_shed_total 2']) {
    assert.ok(lines.includes(line), `missing after more failures: ${line}`);
  }
});

test("the process's own series follow an app's: CPU, memory, event-loop delay, and GC pauses by kind in buckets fine enough for a p99", async () => {
  const { analytics, registry } = startAnalytics(db);
  analytics.record(callOf(newApiId(), { gatewayMs: 0.3, upstreamMs: 40 }));
  assert.equal(processMetrics(), processMetrics(), 'one registry per process, however many apps it runs');
  // Enough short-lived garbage for young-generation collections, which the GC observer reports after them.
  let kept = 0;
  for (let i = 0; i < 2_000_000; i += 1) kept += [i, String(i)].length;
  assert.equal(kept, 4_000_000);
  await new Promise((resolve) => setTimeout(resolve, 50));

  const served = await serve(registry, processMetrics());
  after(() => served.close());
  const text = await (await fetch(`${served.url}/metrics`)).text();
  const appAt = text.indexOf('# TYPE portcullis_gateway_requests_total counter');
  const processAt = text.indexOf('# TYPE process_cpu_user_seconds_total counter');
  assert.ok(appAt >= 0 && processAt > appAt, "the app's series, then the process's");
  for (const series of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_active_handles_total']) {
    assert.match(text, new RegExp(`^${series}(\\{[^}]*\\})? \\d`, 'm'), series);
  }
  const minorPauses = Number(/^nodejs_gc_duration_seconds_count\{kind="minor"\} (\d+)$/m.exec(text)?.[1]);
  assert.ok(minorPauses > 0, `young-generation pauses are counted (${minorPauses})`);
  for (const bound of ['0.002', '0.005', '0.02', '0.05']) assert.match(text, new RegExp(`^nodejs_gc_duration_seconds_bucket\\{le="${bound}",kind="minor"\\} \\d+$`, 'm'), `a bucket at ${bound} s`);
});
