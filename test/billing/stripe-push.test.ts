/**
 * Pushing a closed month to Stripe, through the official SDK, against a local stand-in that
 * behaves as Stripe does with idempotency keys. A send that fails, one that times out after Stripe
 * took it, and one cut short by a crash are each sent again under the same key: every line is
 * billed exactly once. A line whose organisation has no customer id fails until it has one; a
 * line with nothing to bill is never sent; without a provider a push only records.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { Knex } from 'knex';

import { monthSpan } from '../../src/billing/billing-month.ts';
import { getBillingMonth } from '../../src/billing/billing-months.service.ts';
import { pushBillingMonth } from '../../src/billing/billing-push.service.ts';
import { closeBillingMonth, runBillingMonth, type BillingContext } from '../../src/billing/billing-run.service.ts';
import { markPushPending, writeCustomerId } from '../../src/billing/billing.store.ts';
import { recordOnlyProvider } from '../../src/billing/payment-provider.ts';
import { stripePaymentProvider } from '../../src/billing/stripe-payment-provider.ts';
import { createEventBus } from '../../src/events/event-bus.ts';
import { CatalogueConflict } from '../../src/gateway/catalogue/catalogue-errors.ts';
import { addBilledApplication, addCalls, addPricedPlan, inMonth, testBillingMonth, type BilledApplication } from '../helpers/billing-fixtures.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';
import { openTestStore } from '../helpers/store.ts';
import { startStripeStandIn, type StripeStandIn } from '../helpers/stripe-stand-in.ts';

let db: Knex;
let stripe: StripeStandIn;
const month = testBillingMonth();
const clock = fixedClock(inMonth(month, 40));
let context: BillingContext;
let applications: Record<'a' | 'b' | 'c' | 'crashed' | 'free', BilledApplication>;

before(async () => {
  [db, stripe] = await Promise.all([openTestStore(), startStripeStandIn()]);
  await db('billing_months').where({ month }).delete();
  context = { db, events: createEventBus({ clock, onListenerError: (error) => { throw error; } }), clock, actor: 'operator:test' };
  const gold = await addPricedPlan(db, { priceMinorUnits: 9900 });
  const free = await addPricedPlan(db, { priceMinorUnits: null });
  // Cancelled since: each line comes from its calls in the month.
  const since = inMonth(month, 35);
  const status = 'cancelled';
  applications = {
    a: await addBilledApplication(db, 'Alpha', { planId: gold.planId, since, status }),
    b: await addBilledApplication(db, 'Bravo', { planId: gold.planId, since, status }),
    c: await addBilledApplication(db, 'Charlie', { planId: gold.planId, since, status }),
    crashed: await addBilledApplication(db, 'Delta', { planId: gold.planId, since, status }),
    free: await addBilledApplication(db, 'Echo', { planId: free.planId, since, status }),
  };
  await addCalls(db, { minute: inMonth(month, 2), ...applications.a, ...gold, count: 42 });
  for (const key of ['b', 'c', 'crashed'] as const) await addCalls(db, { minute: inMonth(month, 3), ...applications[key], ...gold, count: 1 });
  await addCalls(db, { minute: inMonth(month, 3), ...applications.free, ...free, count: 1 });
  for (const key of ['a', 'b', 'crashed', 'free'] as const) await writeCustomerId(db, applications[key].organisationId, customerOf(key), clock.now());
  await runBillingMonth(context, month);
});
after(async () => {
  await Promise.all([db?.destroy(), stripe?.close()]);
});

const provider = () => stripePaymentProvider({ apiKey: stripe.apiKey, meterEventName: 'api_usage', apiBase: stripe.url, timeoutMs: 400, maxNetworkRetries: 0 });
const lineOf = async (application: BilledApplication) => (await getBillingMonth(db, month)).lines.find((line) => line.applicationId === application.applicationId)!;
const customerOf = (key: keyof typeof applications) => `cus_${key}${month.replace('-', '')}`;
const eventsOf = (key: keyof typeof applications) => stripe.events.filter((event) => event.payload['stripe_customer_id'] === customerOf(key));

test('an open month is not pushed', async () => {
  await assert.rejects(pushBillingMonth(context, provider(), month), CatalogueConflict);
  assert.equal(stripe.keys.length, 0);
});

test('failed, timed-out and interrupted sends are sent again under the same key, and every line is billed once', async () => {
  await closeBillingMonth(context, month);
  // A crash after Stripe took Delta's event, before the line was marked sent: it is left pending.
  const crashed = await lineOf(applications.crashed);
  await markPushPending(db, crashed.id, 'stripe', clock.now());
  await provider().sendUsage({ idempotencyKey: crashed.id, customerId: customerOf('crashed'), amountMinorUnits: 9900, currency: 'GBP', calls: 0, at: clock.now() });
  assert.equal(stripe.events.length, 1);

  // Lines go in order of organisation: Alpha's send fails, Bravo's times out after Stripe took it.
  stripe.failNext();
  stripe.stallNext(1_500);
  assert.deepEqual(await pushBillingMonth(context, provider(), month), { sent: 1, failed: 3, skipped: 1 });
  const [alpha, bravo, charlie, delta, echo] = await Promise.all([applications.a, applications.b, applications.c, applications.crashed, applications.free].map(lineOf));
  assert.deepEqual([alpha!.push.state, bravo!.push.state, charlie!.push.state, delta!.push.state, echo!.push.state], ['failed', 'failed', 'failed', 'sent', null]);
  assert.match(charlie!.push.error!, /has no customer id at stripe/);
  assert.equal(delta!.push.reference, crashed.id, 'the crashed send answered with the first answer');
  assert.equal(stripe.events.length, 2, 'Delta once, and Bravo, which Stripe took before the answer timed out');

  // Charlie gets a customer id; the push again sends what is not sent, under the same keys.
  await writeCustomerId(db, applications.c.organisationId, customerOf('c'), clock.now());
  assert.deepEqual(await pushBillingMonth(context, provider(), month), { sent: 3, failed: 0, skipped: 2 });
  assert.deepEqual(await pushBillingMonth(context, provider(), month), { sent: 0, failed: 0, skipped: 5 }, 'nothing left to send');

  const lines = await Promise.all([applications.a, applications.b, applications.c, applications.crashed].map(lineOf));
  assert.deepEqual(lines.map((line) => line.push.state), ['sent', 'sent', 'sent', 'sent']);
  assert.deepEqual(stripe.events.map((event) => event.identifier).sort(), lines.map((line) => line.id).sort(), 'one event per line: none twice, the free line never');
  for (const key of ['a', 'b', 'c', 'crashed'] as const) {
    assert.deepEqual(eventsOf(key).map((event) => [event.event_name, event.payload['value'], event.payload['currency']]), [['api_usage', '9900', 'gbp']], key);
  }
  assert.deepEqual(lines.map((line) => line.push.attempts), [2, 2, 2, 2], 'Delta: the crashed attempt and its resend');
  const [alphaEvent] = eventsOf('a');
  assert.equal(alphaEvent!.payload['calls'], '42');
  assert.equal(alphaEvent!.timestamp, monthSpan(month, clock.now()).end.getTime() / 1000 - 1, 'the usage is dated the month\'s last second');
  // Every key sent is a line's, and the retried ones were sent again as they were.
  assert.deepEqual(new Set(stripe.keys), new Set(lines.map((line) => line.id)));
  assert.equal(stripe.keys.filter((key) => key === lines[1]!.id).length, 2, 'Bravo\'s key twice, billed once');
});

test('without a provider, a push records the lines as sent to nobody', async () => {
  let other = testBillingMonth();
  while (other === month) other = testBillingMonth();
  await db('billing_months').where({ month: other }).delete();
  const gold = await addPricedPlan(db, { priceMinorUnits: 500 });
  const application = await addBilledApplication(db, 'Foxtrot', { planId: gold.planId, since: inMonth(other, 35), status: 'cancelled' });
  await addCalls(db, { minute: inMonth(other, 1), ...application, ...gold, count: 1 });
  const later = { ...context, clock: fixedClock(inMonth(other, 40)) };
  await runBillingMonth(later, other);
  await closeBillingMonth(later, other);
  const outcome = await pushBillingMonth(later, recordOnlyProvider, other);
  assert.ok(outcome.sent >= 1);
  const line = (await getBillingMonth(db, other)).lines.find((each) => each.applicationId === application.applicationId)!;
  assert.deepEqual([line.push.state, line.push.provider, line.push.reference], ['sent', 'none', null]);
});
