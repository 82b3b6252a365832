import assert from 'node:assert/strict';
import { test } from 'node:test';

import { instructedAmount, instructedPaymentAt } from '../../sandbox/bank-core/payments/instruction-schedule.ts';
import type { Initiation } from '../../sandbox/bank-core/payments/payment-kinds.ts';

const gbp = (Amount: string) => ({ Amount, Currency: 'GBP' });
const creditor = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '08080021325698', Name: 'ACME Inc' };

/** Every payment of a standing order as [date, amount], up to `limit`. */
function plan(initiation: Initiation, limit = 20): [string, string][] {
  const payments: [string, string][] = [];
  let at = instructedPaymentAt('domestic-standing-order', initiation, 0, undefined);
  for (let index = 0; at && index < limit; index += 1) {
    payments.push([at.toISOString().slice(0, 10), instructedAmount('domestic-standing-order', initiation, index, at).Amount]);
    at = instructedPaymentAt('domestic-standing-order', initiation, index + 1, at);
  }
  return payments;
}

test('a scheduled payment pays its instructed amount once, at its requested time', () => {
  const initiation: Initiation = { RequestedExecutionDateTime: '2027-03-01T10:00:00+00:00', InstructedAmount: gbp('9.99'), CreditorAccount: creditor };
  assert.equal(instructedPaymentAt('domestic-scheduled-payment', initiation, 0, undefined)?.toISOString(), '2027-03-01T10:00:00.000Z');
  assert.equal(instructedPaymentAt('domestic-scheduled-payment', initiation, 1, new Date('2027-03-01T10:00:00Z')), undefined);
  assert.deepEqual(instructedAmount('domestic-scheduled-payment', initiation, 0, new Date()), gbp('9.99'));
  assert.equal(instructedPaymentAt('domestic-payment', { ...initiation }, 0, undefined), undefined, 'a domestic payment is not an instruction');
});

test('a standing order ends with its FinalPaymentDateTime, paying the final amount on the last date before it', () => {
  const initiation: Initiation = {
    Frequency: 'IntrvlMnthDay:01:01', FirstPaymentDateTime: '2027-01-01T06:00:00Z', FinalPaymentDateTime: '2027-04-15T00:00:00Z',
    FirstPaymentAmount: gbp('100.00'), RecurringPaymentAmount: gbp('50.00'), FinalPaymentAmount: gbp('25.00'), CreditorAccount: creditor,
  };
  assert.deepEqual(plan(initiation), [['2027-01-01', '100.00'], ['2027-02-01', '50.00'], ['2027-03-01', '50.00'], ['2027-04-01', '25.00']]);
});

test('RecurringPaymentDateTime moves the second payment; the frequency counts on from it', () => {
  const initiation: Initiation = {
    Frequency: 'IntrvlDay:07', FirstPaymentDateTime: '2027-01-01T06:00:00Z', RecurringPaymentDateTime: '2027-01-03T06:00:00Z', NumberOfPayments: '3',
    FirstPaymentAmount: gbp('5.00'), CreditorAccount: creditor,
  };
  assert.deepEqual(plan(initiation), [['2027-01-01', '5.00'], ['2027-01-03', '5.00'], ['2027-01-10', '5.00']], 'no recurring or final amount: the first amount throughout');
});

test('a standing order with neither an end date nor a number of payments goes on', () => {
  const initiation: Initiation = { Frequency: 'EvryWorkgDay', FirstPaymentDateTime: '2027-01-01T06:00:00Z', FirstPaymentAmount: gbp('1.00'), FinalPaymentAmount: gbp('2.00'), CreditorAccount: creditor };
  const payments = plan(initiation, 10);
  assert.equal(payments.length, 10);
  assert.ok(payments.every(([, amount]) => amount === '1.00'), 'a final amount without an end is never due');
});

test('a one-payment standing order pays its first amount', () => {
  const initiation: Initiation = { Frequency: 'EvryDay', FirstPaymentDateTime: '2027-01-01T06:00:00Z', NumberOfPayments: '1', FirstPaymentAmount: gbp('3.00'), FinalPaymentAmount: gbp('4.00'), CreditorAccount: creditor };
  assert.deepEqual(plan(initiation), [['2027-01-01', '3.00']]);
});
