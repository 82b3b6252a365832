import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import type { Knex } from 'knex';
import { pino } from 'pino';
import { Registry } from 'prom-client';

import { createAnalytics } from '../../src/analytics/analytics.service.ts';
import { createGatewayMetrics } from '../../src/analytics/gateway-metrics.ts';
import { openStore } from '../../src/db/knex.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';
import { openTestStore, storeKind } from '../helpers/store.ts';
import { switchableStore } from '../helpers/switchable-store.ts';
import { refusedDatabaseUrl } from '../helpers/unreachable-database.ts';
import { callOf, newApiId, sparseOf, startAnalytics, storedRows } from './analytics-test-kit.ts';

/*
 * Calls become per-minute rollups in process, and rollups add up in the store however many
 * instances and flushes write the same minute. A flush that fails loses nothing: its rows go out
 * with the next one.
 */

let db: Knex;
let deadDb: Knex;
before(async () => {
  db = await openTestStore();
  // A store that can never answer again: what a flush meets when the database is gone.
  deadDb = openStore({ databaseUrl: await refusedDatabaseUrl() });
  await deadDb.destroy();
});
after(() => db?.destroy());

test(`a thousand calls of one minute and key become one row, counted exactly (${storeKind})`, async () => {
  const apiId = newApiId();
  const { analytics } = startAnalytics(db);
  const totals: number[] = [];
  const upstreams: number[] = [];
  const gateways: number[] = [];
  for (let i = 0; i < 1000; i += 1) {
    const call = callOf(apiId, { at: new Date(Date.parse('2026-12-04T12:00:00Z') + i * 59), totalMs: 1 + i * 0.37, upstreamMs: i % 10 === 0 ? null : i * 0.3, gatewayMs: 1 + (i % 7) * 0.1, requestBytes: i, responseBytes: 2 * i });
    analytics.record(call);
    totals.push(call.totalMs);
    if (call.upstreamMs !== null) upstreams.push(call.upstreamMs);
    gateways.push(call.gatewayMs);
  }
  analytics.record(callOf(apiId, { status: 404 }));
  analytics.record(callOf(apiId, { at: new Date('2026-12-04T12:01:00Z') }));
  await analytics.close();

  const rows = await storedRows(db, apiId);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[0], {
    minute: new Date('2026-12-04T12:00:00Z'), api_id: apiId, route_id: 'route-clinic', application_id: 'app-1', plan_id: 'plan-free', status: 200,
    api_name: 'clinics', api_version: 'v2', route_method: 'GET', route_template: '/clinics/{clinicId}',
    count: 1000, request_bytes: 499_500, response_bytes: 999_000,
    total_ms: sparseOf(totals), upstream_ms: sparseOf(upstreams), gateway_ms: sparseOf(gateways),
  });
  assert.equal(Object.values(rows[0]!.upstream_ms as object).reduce((sum: number, n: number) => sum + n, 0), 900, 'only calls that reached an upstream');
  assert.deepEqual([rows[1]!.minute, rows[1]!.status, rows[1]!.count], [new Date('2026-12-04T12:00:00Z'), 404, 1]);
  assert.deepEqual([rows[2]!.minute, rows[2]!.status, rows[2]!.count], [new Date('2026-12-04T12:01:00Z'), 200, 1]);
});

test(`two instances and repeated flushes of one minute add up exactly, anonymous calls included (${storeKind})`, async () => {
  const apiId = newApiId();
  const [first, second] = [startAnalytics(db), startAnalytics(db)];
  const anonymous = { routeId: null, routeTemplate: null, applicationId: null, planId: null, clientId: null, status: 404, upstreamMs: null };
  const firstTotals = [3, 5, 8, 13];
  const secondTotals = [0.2, 400, 7000];
  for (const totalMs of firstTotals) first.analytics.record(callOf(apiId, { totalMs }));
  first.analytics.record(callOf(apiId, { ...anonymous, method: 'DELETE' }));
  await first.analytics.flush();
  for (const totalMs of secondTotals) second.analytics.record(callOf(apiId, { totalMs }));
  second.analytics.record(callOf(apiId, { ...anonymous, method: 'POST' }));
  await second.analytics.flush();
  first.analytics.record(callOf(apiId, { totalMs: 21, at: new Date('2026-12-04T12:00:59.999Z') }));
  first.analytics.record(callOf(apiId, anonymous));
  await Promise.all([first.analytics.close(), second.analytics.close()]);

  const rows = await storedRows(db, apiId);
  assert.equal(rows.length, 2, 'the anonymous calls share one row: their absent ids are equal in the key');
  const [named, unnamed] = [rows.find((row) => row.status === 200)!, rows.find((row) => row.status === 404)!];
  assert.equal(named.count, 8);
  assert.equal(named.request_bytes, 800);
  assert.equal(named.response_bytes, 12_000);
  assert.deepEqual(named.total_ms, sparseOf([...firstTotals, ...secondTotals, 21]));
  assert.deepEqual(named.upstream_ms, sparseOf(Array(8).fill(11)));
  assert.deepEqual(named.gateway_ms, sparseOf(Array(8).fill(1.5)));
  assert.deepEqual(
    { ...unnamed, total_ms: undefined, gateway_ms: undefined },
    { minute: new Date('2026-12-04T12:00:00Z'), api_id: apiId, route_id: '', application_id: '', plan_id: '', status: 404, api_name: 'clinics', api_version: 'v2', route_method: null, route_template: null, count: 3, request_bytes: 300, response_bytes: 4500, total_ms: undefined, upstream_ms: {}, gateway_ms: undefined },
  );
});

test(`a failed flush keeps its rows and sends them with the next one, logged and counted (${storeKind})`, async () => {
  const apiId = newApiId();
  const store = switchableStore(deadDb);
  const { analytics, logs, metric } = startAnalytics(store.db);
  for (let i = 0; i < 10; i += 1) analytics.record(callOf(apiId, { totalMs: 10 + i }));
  await assert.rejects(analytics.flush(), /Unable to acquire a connection|closed/i);
  assert.equal(await metric('portcullis_analytics_flush_failures_total'), 1);
  assert.deepEqual(logs.filter((line) => line.msg === 'analytics.flush_failed').map((line) => [line.level, line.rows, typeof line.err]), [[50, 1, 'object']]);

  for (let i = 0; i < 5; i += 1) analytics.record(callOf(apiId, { totalMs: 20 + i }));
  analytics.record(callOf(apiId, { at: new Date('2026-12-04T12:03:00Z'), totalMs: 99 }));
  await assert.rejects(analytics.flush());
  assert.equal(await metric('portcullis_analytics_flush_failures_total'), 2);
  assert.deepEqual(logs.filter((line) => line.msg === 'analytics.flush_failed').map((line) => line.rows), [1, 2]);
  assert.deepEqual(await storedRows(db, apiId), []);
  assert.equal(await metric('portcullis_analytics_last_flush_timestamp_seconds'), 0, 'never flushed yet');

  store.use(db);
  await analytics.flush();
  await analytics.flush();
  const rows = await storedRows(db, apiId);
  assert.deepEqual(rows.map((row) => [row.minute, row.count, row.total_ms]), [
    [new Date('2026-12-04T12:00:00Z'), 15, sparseOf([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24])],
    [new Date('2026-12-04T12:03:00Z'), 1, sparseOf([99])],
  ], 'each call counted once: sent again after the failures, not again after the success');
  assert.equal(await metric('portcullis_analytics_last_flush_timestamp_seconds'), Date.parse('2026-12-04T12:05:00Z') / 1000);
  assert.equal(await metric('portcullis_analytics_dropped_calls_total'), 0);
  await analytics.close();
});

test(`past maxPendingRows a failing store sheds the oldest minutes, counted and logged, and keeps the rest (${storeKind})`, async () => {
  const apiId = newApiId();
  const store = switchableStore(deadDb);
  const { analytics, logs, metric } = startAnalytics(store.db, { maxPendingRows: 2 });
  for (const [minute, calls] of [['12:00', 1], ['12:01', 2]] as const) {
    for (let i = 0; i < calls; i += 1) analytics.record(callOf(apiId, { at: new Date(`2026-12-04T${minute}:30Z`) }));
  }
  await assert.rejects(analytics.flush());
  assert.equal(await metric('portcullis_analytics_dropped_calls_total'), 0, 'two rows kept: within the bound');
  for (let i = 0; i < 3; i += 1) analytics.record(callOf(apiId, { at: new Date('2026-12-04T12:02:30Z') }));
  await assert.rejects(analytics.flush());
  assert.equal(await metric('portcullis_analytics_dropped_calls_total', { reason: 'buffer_full' }), 1);
  const shed = logs.find((line) => line.msg === 'analytics.rollups_shed');
  assert.deepEqual([shed?.level, shed?.calls, shed?.rows, shed?.from], [50, 1, 1, '2026-12-04T12:00:00.000Z']);

  store.use(db);
  await analytics.close();
  assert.deepEqual((await storedRows(db, apiId)).map((row) => [row.minute, row.count]), [[new Date('2026-12-04T12:01:00Z'), 2], [new Date('2026-12-04T12:02:00Z'), 3]]);
});

test(`calls out of range are left out, counted and logged, and never spoil the batch (${storeKind})`, async () => {
  const apiId = newApiId();
  const { analytics, logs, metric } = startAnalytics(db);
  analytics.record(callOf(apiId));
  for (const bad of [{ status: 99 }, { status: 600 }, { status: 200.5 }, { totalMs: Number.NaN }, { totalMs: -1 }, { upstreamMs: Infinity }, { gatewayMs: -0.1 }, { requestBytes: 1.5 }, { responseBytes: -1 }, { at: new Date('nope') }]) {
    analytics.record(callOf(apiId, bad));
  }
  await analytics.flush();
  assert.deepEqual((await storedRows(db, apiId)).map((row) => row.count), [1]);
  assert.equal(await metric('portcullis_analytics_dropped_calls_total', { reason: 'invalid' }), 10);
  assert.deepEqual(logs.filter((line) => line.msg === 'analytics.invalid_calls').map((line) => [line.level, line.calls, line.field]), [[50, 10, 'at']]);
  await analytics.close();
  assert.equal(logs.filter((line) => line.msg === 'analytics.invalid_calls').length, 1, 'each bad call is logged once');
});

test(`the timer flushes by itself; close flushes the rest; calls after close are counted as dropped (${storeKind})`, async () => {
  const apiId = newApiId();
  const { analytics, metric } = startAnalytics(db, { flushIntervalMs: 20 });
  analytics.record(callOf(apiId));
  for (let waited = 0; (await storedRows(db, apiId)).length === 0; waited += 20) {
    assert.ok(waited < 5000, 'flushed within 5 s');
    await sleep(20);
  }
  analytics.record(callOf(apiId));
  analytics.record(callOf(apiId));
  await analytics.close();
  assert.deepEqual((await storedRows(db, apiId)).map((row) => row.count), [3]);
  analytics.record(callOf(apiId));
  assert.equal(await metric('portcullis_analytics_dropped_calls_total', { reason: 'closed' }), 1);
  await sleep(60);
  assert.deepEqual((await storedRows(db, apiId)).map((row) => row.count), [3], 'no flush after close');
});

test('options out of range are refused at once', () => {
  const base = { db, clock: fixedClock('2026-12-04T12:00:00Z'), logger: pino({ level: 'silent' }), metrics: createGatewayMetrics(new Registry()) };
  assert.throws(() => createAnalytics({ ...base, flushIntervalMs: 0, maxPendingRows: 10 }), /flushIntervalMs/);
  assert.throws(() => createAnalytics({ ...base, flushIntervalMs: Number.NaN, maxPendingRows: 10 }), /flushIntervalMs/);
  assert.throws(() => createAnalytics({ ...base, flushIntervalMs: 1000, maxPendingRows: 0 }), /maxPendingRows/);
  assert.throws(() => createAnalytics({ ...base, flushIntervalMs: 1000, maxPendingRows: 1.5 }), /maxPendingRows/);
});

test(`instances flushing the same keys at once, in any order, both succeed: rows are locked in one order (${storeKind})`, async () => {
  const apiId = newApiId();
  const keys = Array.from({ length: 300 }, (_, i) => ({ applicationId: `app-${i % 30}`, status: 200 + Math.floor(i / 30) }));
  for (let round = 0; round < 3; round += 1) {
    const [first, second] = [startAnalytics(db), startAnalytics(db)];
    for (const key of keys) first.analytics.record(callOf(apiId, key));
    for (const key of keys.toReversed()) second.analytics.record(callOf(apiId, key));
    await Promise.all([first.analytics.close(), second.analytics.close()]);
  }
  const rows = await storedRows(db, apiId);
  assert.equal(rows.length, 300);
  assert.ok(rows.every((row) => row.count === 6));
});
