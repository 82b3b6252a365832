/**
 * Billing's pure parts: a month's span, a line's price (the plan's monthly price, whole), the
 * line's stable id, totals per currency, amounts in the currency's decimals, and the CSV.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { billingLinesCsv } from '../../src/billing/billing-csv.ts';
import { monthHasEnded, monthSpan } from '../../src/billing/billing-month.ts';
import { billingLineId, formatMinorUnits, priceLine, totalsByCurrency } from '../../src/billing/billing-pricing.ts';
import type { BillingLine } from '../../src/billing/billing.types.ts';
import { CatalogueInvalid } from '../../src/gateway/catalogue/catalogue-errors.ts';

const now = new Date('2026-12-06T20:00:00Z');

test('a month is a calendar month in UTC, written YYYY-MM, that has started', () => {
  assert.deepEqual(monthSpan('2026-02', now), { month: '2026-02', start: new Date('2026-02-01T00:00:00Z'), end: new Date('2026-03-01T00:00:00Z') });
  assert.deepEqual(monthSpan('2025-12', now).end, new Date('2026-01-01T00:00:00Z'), 'December ends at the next year');
  for (const bad of ['2026-13', '2026-1', '26-01', '2026-00', '2026-01-01', '']) assert.throws(() => monthSpan(bad, now), CatalogueInvalid, bad);
  assert.throws(() => monthSpan('2027-01', now), /has not started/);
  assert.equal(monthHasEnded(monthSpan('2026-12', now), now), false);
  assert.equal(monthHasEnded(monthSpan('2026-11', now), now), true);
  assert.equal(monthHasEnded(monthSpan('2026-11', now), new Date('2026-11-30T23:59:59.999Z')), false, 'the last millisecond is still in it');
});

test('a line is the plan\'s monthly price, whole; a free plan is nothing', () => {
  assert.deepEqual(priceLine({ priceMinorUnits: 9900, currency: 'GBP' }), { amountMinorUnits: 9900, currency: 'GBP' });
  assert.deepEqual(priceLine({ priceMinorUnits: null, currency: null }), { amountMinorUnits: 0, currency: null });
  assert.deepEqual(priceLine({ priceMinorUnits: 0, currency: 'EUR' }), { amountMinorUnits: 0, currency: 'EUR' });
});

test('a line\'s id is the same whenever its month is run, and differs by month, application and plan', () => {
  const id = billingLineId('2026-11', 'app-1', 'plan-1');
  assert.match(id, /^bl_2026-11_[0-9a-f]{32}$/);
  assert.equal(billingLineId('2026-11', 'app-1', 'plan-1'), id);
  assert.equal(new Set([id, billingLineId('2026-10', 'app-1', 'plan-1'), billingLineId('2026-11', 'app-2', 'plan-1'), billingLineId('2026-11', 'app-1', 'plan-2')]).size, 4);
  assert.notEqual(billingLineId('2026-11', 'a', 'b\0c'), billingLineId('2026-11', 'a\0b', 'c'), 'no two pairs collide by concatenation');
  assert.ok(id.length <= 100, 'within Stripe\'s identifier limit');
});

test('totals are per currency, and amounts are written in the currency\'s decimals', () => {
  assert.deepEqual(totalsByCurrency([
    { amountMinorUnits: 9900, currency: 'GBP' }, { amountMinorUnits: 500, currency: 'EUR' }, { amountMinorUnits: 100, currency: 'GBP' }, { amountMinorUnits: 0, currency: null },
  ]), [{ currency: 'EUR', amountMinorUnits: 500 }, { currency: 'GBP', amountMinorUnits: 10000 }]);
  assert.equal(formatMinorUnits(9905, 'GBP'), '99.05');
  assert.equal(formatMinorUnits(1500, 'JPY'), '1500', 'the yen has no minor unit');
  assert.equal(formatMinorUnits(12345, 'BHD'), '12.345', 'the dinar has three');
});

test('the CSV is RFC 4180, with a header, exact minor units, and no formula a spreadsheet would run', () => {
  const line: BillingLine = {
    id: 'bl_x', month: '2026-11', organisationId: 'org-1', organisationName: 'Acme, "Trading" Ltd', applicationId: 'app-1', applicationName: '=HYPERLINK("x")', planId: 'plan-1', planName: 'Gold',
    calls: 1234, quotaPerMonth: null, amountMinorUnits: 9900, currency: 'GBP', push: { state: 'sent', provider: 'stripe', reference: 'bl_x', error: null, attempts: 1, at: null },
  };
  assert.equal(billingLinesCsv([line]), [
    'month,organisation_id,organisation,application_id,application,plan_id,plan,calls,amount_minor_units,currency,amount,push_state',
    '2026-11,org-1,"Acme, ""Trading"" Ltd",app-1,"\'=HYPERLINK(""x"")",plan-1,Gold,1234,9900,GBP,99.00,sent',
    '',
  ].join('\r\n'));
  assert.equal(billingLinesCsv([{ ...line, amountMinorUnits: 0, currency: null, push: { ...line.push, state: null } }]).split('\r\n')[1]!.endsWith(',0,,0.00,unpushed'), true);
});
