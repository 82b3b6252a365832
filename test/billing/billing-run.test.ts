/**
 * A billing run over a real store: a month's lines from the subscriptions and the rollups, priced
 * by the plan; run again while open, the draft lines are replaced, never added to; closed, the
 * month's lines stay as they were however often it is run; a month is closed only once it has
 * ended, and only once.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { Knex } from 'knex';

import { getBillingMonth } from '../../src/billing/billing-months.service.ts';
import { closeBillingMonth, runBillingMonth, type BillingContext } from '../../src/billing/billing-run.service.ts';
import { createEventBus } from '../../src/events/event-bus.ts';
import { CatalogueConflict, CatalogueInvalid, CatalogueNotFound } from '../../src/gateway/catalogue/catalogue-errors.ts';
import { addBilledApplication, addCalls, addPricedPlan, inMonth, subscribeSince, testBillingMonth } from '../helpers/billing-fixtures.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';
import { openTestStore } from '../helpers/store.ts';

let db: Knex;
// Active subscriptions since before it: in 2019, after every other file's months.
const month = testBillingMonth(2019, 2019);
const clock = fixedClock(inMonth(month, 20));
let context: BillingContext;

before(async () => {
  db = await openTestStore();
  await db('billing_months').where({ month }).delete();
  context = { db, events: createEventBus({ clock, onListenerError: (error) => { throw error; } }), clock, actor: 'operator:test' };
});
after(async () => {
  await db?.destroy();
});

/** This test's lines of the month, by application name (the month may hold another run's too on PostgreSQL). */
async function linesOf(applicationIds: string[]) {
  const { lines } = await getBillingMonth(db, month);
  return lines.filter((line) => applicationIds.includes(line.applicationId));
}

test('a run prices each application\'s plans by the month, counts its billable calls, replaces its drafts, and is frozen once closed', async () => {
  const gold = await addPricedPlan(db, { priceMinorUnits: 9900, quotaPerMonth: 100_000 });
  const euro = await addPricedPlan(db, { priceMinorUnits: 1250, currency: 'EUR' });
  const free = await addPricedPlan(db, { priceMinorUnits: null });
  const busy = await addBilledApplication(db, 'Busy', { planId: gold.planId, since: inMonth(month, -40) });
  await subscribeSince(db, busy.applicationId, euro.planId, inMonth(month, 10));
  const idle = await addBilledApplication(db, 'Idle', { planId: free.planId, since: inMonth(month, 2) });
  // Subscribed after the month: not billed in it.
  const late = await addBilledApplication(db, 'Late', { planId: gold.planId, since: inMonth(month, 45) });
  // Cancelled since, but called under the plan in the month: it was subscribed then.
  const gone = await addBilledApplication(db, 'Gone', { planId: gold.planId, since: inMonth(month, 50), status: 'cancelled' });
  const ours = [busy, idle, late, gone].map((application) => application.applicationId);

  await addCalls(db, { minute: inMonth(month, 1), ...busy, ...gold, count: 700 });
  await addCalls(db, { minute: inMonth(month, 3), ...busy, ...gold, count: 300, status: 404 });
  await addCalls(db, { minute: inMonth(month, 3), ...busy, ...gold, count: 50, status: 429 });
  await addCalls(db, { minute: inMonth(month, 4), ...busy, ...gold, count: 20, status: 502 });
  await addCalls(db, { minute: inMonth(month, -1), ...busy, ...gold, count: 9999 });
  await addCalls(db, { minute: inMonth(month, 12), ...busy, ...euro, count: 5 });
  // Counted under gold for another plan's API: not the plan's usage.
  await addCalls(db, { minute: inMonth(month, 5), ...busy, planId: gold.planId, apiId: euro.apiId, count: 77 });
  await addCalls(db, { minute: inMonth(month, 6), ...gone, ...gold, count: 3 });

  assert.deepEqual(await runBillingMonth(context, month), { status: 'open' });
  const summarise = (lines: Awaited<ReturnType<typeof linesOf>>) => lines.map((line) => [line.applicationName, line.planId, line.calls, line.amountMinorUnits, line.currency]);
  const expected = [
    ['Busy', gold.planId, 1000, 9900, 'GBP'],
    ['Busy', euro.planId, 5, 1250, 'EUR'],
    ['Gone', gold.planId, 3, 9900, 'GBP'],
    ['Idle', free.planId, 0, 0, null],
  ];
  const byName = (a: unknown[], b: unknown[]) => `${a[0]}${a[4]}`.localeCompare(`${b[0]}${b[4]}`);
  assert.deepEqual(summarise(await linesOf(ours)).sort(byName), expected.sort(byName));

  // More calls, and a run again: the same lines (same ids), counted anew, none added.
  const before = await linesOf(ours);
  await addCalls(db, { minute: inMonth(month, 15), ...busy, ...gold, count: 1 });
  await runBillingMonth(context, month);
  const rerun = await linesOf(ours);
  assert.deepEqual(rerun.map((line) => line.id).sort(), before.map((line) => line.id).sort());
  assert.equal(rerun.find((line) => line.planId === gold.planId && line.applicationId === busy.applicationId)!.calls, 1001);
  assert.equal((await db('billing_lines').where({ month }).whereIn('application_id', ours)).length, 4);

  await assert.rejects(closeBillingMonth(context, month), CatalogueConflict, 'the month has not ended');
  clock.advance(40 * 86_400);
  await addCalls(db, { minute: inMonth(month, 16), ...busy, ...gold, count: 1 });
  await closeBillingMonth(context, month);
  const closed = await getBillingMonth(db, month);
  const frozen = await linesOf(ours);
  assert.deepEqual([closed.status, closed.closedBy], ['closed', 'operator:test']);
  assert.equal(frozen.find((line) => line.planId === gold.planId && line.applicationId === busy.applicationId)!.calls, 1002, 'closing runs it a last time');

  // Closed: later calls, and runs, change nothing.
  await addCalls(db, { minute: inMonth(month, 17), ...busy, ...gold, count: 500 });
  assert.deepEqual(await runBillingMonth(context, month), { status: 'closed' });
  assert.deepEqual(await linesOf(ours), frozen);
  await assert.rejects(closeBillingMonth(context, month), CatalogueConflict, 'closed once');
});

test('a month not written YYYY-MM, or not started, is refused; one never run cannot be closed or read', async () => {
  await assert.rejects(runBillingMonth(context, '2026-13'), CatalogueInvalid);
  await assert.rejects(runBillingMonth(context, '2999-01'), CatalogueInvalid);
  await assert.rejects(closeBillingMonth(context, '1989-01'), CatalogueNotFound);
  await assert.rejects(getBillingMonth(db, '1989-01'), CatalogueNotFound);
});
