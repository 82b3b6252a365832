import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import type { Knex } from 'knex';

import { openTestStore, storeKind } from '../helpers/store.ts';

/*
 * The rollup table refuses rows no flush could have written, whatever writes them: a minute with
 * seconds (it would never meet the other instances' rows of that minute), a status outside HTTP's,
 * an empty or negative count, and a second row for one key.
 */

let db: Knex;
before(async () => {
  db = await openTestStore();
});
after(() => db?.destroy());

const row = (overrides: Record<string, unknown> = {}) => ({
  minute: new Date('2026-12-04T12:00:00Z'), api_id: `api-${randomUUID()}`, route_id: '', application_id: '', plan_id: '', status: 200,
  api_name: 'clinics', api_version: 'v2', count: 1, request_bytes: 0, response_bytes: 0, total_ms: '{}', upstream_ms: '{}', gateway_ms: '{}', ...overrides,
});

const refused = async (work: Promise<unknown>, constraint: string) => assert.rejects(work, (error: Error) => error.message.includes(constraint));

test(`a rollup is one whole minute, an HTTP status and at least one call, once per key (${storeKind})`, async () => {
  await refused(db('analytics_minute_rollups').insert(row({ minute: new Date('2026-12-04T12:00:30Z') })), 'analytics_minute_rollups_minute_check');
  await refused(db('analytics_minute_rollups').insert(row({ minute: new Date('2026-12-04T12:00:00.001Z') })), 'analytics_minute_rollups_minute_check');
  await refused(db('analytics_minute_rollups').insert(row({ status: 99 })), 'analytics_minute_rollups_status_check');
  await refused(db('analytics_minute_rollups').insert(row({ status: 600 })), 'analytics_minute_rollups_status_check');
  await refused(db('analytics_minute_rollups').insert(row({ count: 0 })), 'analytics_minute_rollups_count_check');
  await refused(db('analytics_minute_rollups').insert(row({ response_bytes: -1 })), 'analytics_minute_rollups_count_check');
  const once = row();
  await db('analytics_minute_rollups').insert(once);
  await refused(db('analytics_minute_rollups').insert(once), 'analytics_minute_rollups_pkey');
  await db('analytics_minute_rollups').insert({ ...once, status: 404 });
});
