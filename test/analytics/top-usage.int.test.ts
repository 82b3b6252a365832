import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';

import type { Knex } from 'knex';

import { topUsage } from '../../src/analytics/top-usage.service.ts';
import { openTestStore, storeKind } from '../helpers/store.ts';
import { callOf, newApiId, startAnalytics } from './analytics-test-kit.ts';

/* The console overview's busiest APIs and applications, summed over the rollups of any instance. */

let db: Knex;
before(async () => {
  db = await openTestStore();
});
after(() => db?.destroy());

test(`the busiest APIs and applications over a range, most first, with their errors (${storeKind})`, async () => {
  // A day of this test's own, far from every other test's calls in a shared store.
  const day = Date.UTC(2040 + randomInt(0, 500), 0, 1);
  const [busy, quiet, other] = [newApiId(), newApiId(), newApiId()];
  const [first, second] = [startAnalytics(db), startAnalytics(db)];
  const at = (minutes: number) => new Date(day + minutes * 60_000);
  for (let i = 0; i < 30; i += 1) (i % 2 ? first : second).analytics.record(callOf(busy, { at: at(i), status: i < 24 ? 200 : i < 28 ? 404 : 502, applicationId: i < 20 ? 'app-a' : 'app-b' }));
  for (let i = 0; i < 5; i += 1) first.analytics.record(callOf(quiet, { at: at(100 + i), status: 200, applicationId: 'app-b' }));
  for (let i = 0; i < 3; i += 1) first.analytics.record(callOf(other, { at: at(200 + i), status: 200, applicationId: null }));
  first.analytics.record(callOf(busy, { at: new Date(day - 1) }));
  first.analytics.record(callOf(busy, { at: new Date(day + 86_400_000) }));
  await Promise.all([first.analytics.close(), second.analytics.close()]);

  const top = await topUsage(db, { from: new Date(day), to: new Date(day + 86_400_000), limit: 2 });
  const all = await topUsage(db, { from: new Date(day), to: new Date(day + 86_400_000), limit: 10 });
  assert.equal(all.applications.length, 2, 'calls without an application are not one');
  assert.deepEqual(top.apis, [
    { id: busy, calls: 30, clientErrors: 4, serverErrors: 2 },
    { id: quiet, calls: 5, clientErrors: 0, serverErrors: 0 },
  ], 'the two busiest of three, the calls outside the range left out');
  assert.deepEqual(top.applications, [
    { id: 'app-a', calls: 20, clientErrors: 0, serverErrors: 0 },
    { id: 'app-b', calls: 15, clientErrors: 4, serverErrors: 2 },
  ]);
});
