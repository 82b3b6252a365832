import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import type { CallerIdentity } from '../../src/gateway/upstream/caller-identity.ts';
import { domesticPaymentBody, scheduledPaymentBody, standingOrderBody } from '../consent/consent-bodies.ts';
import { startTestBankCore, type CoreAnswer, type TestBankCore } from '../helpers/bank-core-client.ts';
import { capturedLogger } from '../helpers/captured-logger.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';
import { LEDGER } from '../helpers/sandbox-ledger.ts';
import { storeKind } from '../helpers/store.ts';

/*
 * The bank core's payments and funds confirmations: a domestic payment debits the account at once
 * (a pending transaction, the available balance) and settles ten seconds later (booked, with its
 * running balance), once per consent; scheduled payments and standing orders join the account's
 * lists; the scenario switches; every answer in its schema.
 */

const clock = fixedClock('2026-09-01T12:00:00Z');
const SLOW_MS = 300;
const log = capturedLogger();
let core: TestBankCore;

before(async () => {
  core = await startTestBankCore(clock, { slowAnswerMs: SLOW_MS, logger: log.logger });
});
after(async () => {
  await core?.close();
});

const payer = (consentId: string, extra: Partial<CallerIdentity> = {}): Partial<CallerIdentity> => ({ clientId: 'partner-1', customerId: LEDGER.alice, consentId, accountIds: [LEDGER.current], scopes: ['payments'], ...extra });
const reader: Partial<CallerIdentity> = { clientId: 'partner-1', scopes: ['payments'] };
const accountsReader: Partial<CallerIdentity> = { clientId: 'partner-1', customerId: LEDGER.alice, consentId: 'aac-1', accountIds: [LEDGER.current], scopes: ['accounts'], permissions: ['ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsDebits', 'ReadScheduledPaymentsDetail', 'ReadStandingOrdersDetail'] };

/** A domestic payment submission of `amount` with this reference, for a fresh consent. */
function domestic(amount: string, reference = 'FRESCO-101') {
  const consentId = `pc-${randomUUID()}`;
  const body = domesticPaymentBody(amount);
  body.Data.Initiation.RemittanceInformation = { Reference: reference };
  return { consentId, body: { Data: { ConsentId: consentId, Initiation: body.Data.Initiation }, Risk: body.Risk } };
}

const pay = (submission: ReturnType<typeof domestic>, path = '/domestic-payments') => core.call('POST', path, { identity: payer(submission.consentId), body: submission.body });
const balances = async () => {
  const answer = await core.call('GET', `/accounts/${LEDGER.current}/balances`, { identity: accountsReader });
  return Object.fromEntries((answer.json.Data.Balance as Array<{ Type: string; Amount: { Amount: string } }>).map((balance) => [balance.Type, balance.Amount.Amount]));
};
const latestTransaction = async () => (await core.call('GET', `/accounts/${LEDGER.current}/transactions`, { identity: accountsReader })).json.Data.Transaction[0];

function assertError(answer: CoreAnswer, status: number, error: { ErrorCode: string; Path?: string }): void {
  assert.equal(answer.status, status, JSON.stringify(answer.json));
  assertMatchesObSchema('payment-initiation', 'OBErrorResponse1', answer.json);
  for (const [key, value] of Object.entries(error)) assert.equal(answer.json.Errors[0][key], value, key);
}

describe(`bank core: payments (${storeKind})`, () => {
  test('a domestic payment debits at once, pending; a retry of its consent gets the same payment; ten seconds on it is settled and booked', async () => {
    const before = await balances();
    const submission = domestic('100.25');
    const made = await pay(submission);
    assert.equal(made.status, 201, JSON.stringify(made.json));
    assertMatchesObSchema('payment-initiation', 'OBWriteDomesticResponse5', made.json);
    const id = made.json.Data.DomesticPaymentId as string;
    assert.equal(made.json.Data.Status, 'AcceptedSettlementInProcess');
    assert.deepEqual(made.json.Data.Debtor, { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Alice Carter' });
    assert.equal(made.json.Links.Self, `${core.url}/domestic-payments/${id}`);
    assert.deepEqual(await balances(), { InterimBooked: before['InterimBooked'], InterimAvailable: (Number(before['InterimAvailable']) - 100.25).toFixed(2) });
    const pending = await latestTransaction();
    assert.deepEqual([pending.Status, pending.CreditDebitIndicator, pending.Amount.Amount, pending.TransactionReference], ['Pending', 'Debit', '100.25', 'FRESCO-101']);

    const retried = await pay(submission);
    assert.equal(retried.status, 201);
    assert.deepEqual(retried.json, made.json, 'the same payment, not a second one');
    assert.equal((await balances())['InterimAvailable'], (Number(before['InterimAvailable']) - 100.25).toFixed(2));

    clock.advance(9);
    assert.equal((await core.call('GET', `/domestic-payments/${id}`, { identity: reader })).json.Data.Status, 'AcceptedSettlementInProcess');
    clock.advance(1);
    const settled = await core.call('GET', `/domestic-payments/${id}`, { identity: reader });
    assertMatchesObSchema('payment-initiation', 'OBWriteDomesticResponse5', settled.json);
    assert.equal(settled.json.Data.Status, 'AcceptedSettlementCompleted');
    assert.equal(settled.json.Data.StatusUpdateDateTime, new Date(Date.parse(made.json.Data.CreationDateTime) + 10_000).toISOString());
    const details = await core.call('GET', `/domestic-payments/${id}/payment-details`, { identity: reader });
    assertMatchesObSchema('payment-initiation', 'OBWritePaymentDetailsResponse1', details.json);
    assert.deepEqual(details.json.Data.PaymentStatus.map((entry: { Status: string }) => entry.Status), ['AcceptedSettlementInProcess', 'AcceptedSettlementCompleted']);
    const after = await balances();
    assert.deepEqual(after, { InterimBooked: (Number(before['InterimBooked']) - 100.25).toFixed(2), InterimAvailable: after['InterimBooked'] });
    const booked = await latestTransaction();
    assert.deepEqual([booked.Status, booked.Balance.Amount.Amount, booked.Balance.Type], ['Booked', after['InterimBooked'], 'InterimBooked']);
  });

  test('submissions of one consent racing each other make one payment and one debit', async () => {
    const before = await balances();
    const submission = domestic('7.00');
    const answers = await Promise.all([pay(submission), pay(submission), pay(submission)]);
    assert.deepEqual(answers.map((answer) => answer.status), [201, 201, 201]);
    assert.equal(new Set(answers.map((answer) => answer.json.Data.DomesticPaymentId)).size, 1);
    assert.equal((await balances())['InterimAvailable'], (Number(before['InterimAvailable']) - 7).toFixed(2));
  });

  test('a payment is read back by its own partner only, under its own kind', async () => {
    const made = await pay(domestic('1.00'));
    const id = made.json.Data.DomesticPaymentId as string;
    assertError(await core.call('GET', `/domestic-payments/${id}`, { identity: { ...reader, clientId: 'partner-2' } }), 404, { ErrorCode: 'UK.OBIE.Resource.NotFound' });
    assertError(await core.call('GET', `/domestic-scheduled-payments/${id}`, { identity: reader }), 404, { ErrorCode: 'UK.OBIE.Resource.NotFound' });
    assertError(await core.call('GET', `/domestic-payments/${id}`, { identity: { ...reader, scopes: ['accounts'] } }), 403, { ErrorCode: 'UK.OBIE.Resource.ConsentMismatch' });
  });

  test('more than the available balance and overdraft, or a scenario reference: Rejected, with the reason in its details, and nothing debited', async () => {
    const before = await balances();
    for (const [submission, reason] of [[domestic('1751.00'), 'Insufficient funds in the account to pay from'], [domestic('5.00', 'SANDBOX-NO-FUNDS'), 'Insufficient funds in the account to pay from'], [domestic('5.00', 'SANDBOX-REJECT'), 'The bank rejected the payment']] as const) {
      const made = await pay(submission);
      assert.equal(made.status, 201);
      assertMatchesObSchema('payment-initiation', 'OBWriteDomesticResponse5', made.json);
      assert.equal(made.json.Data.Status, 'Rejected');
      const details = await core.call('GET', `/domestic-payments/${made.json.Data.DomesticPaymentId}/payment-details`, { identity: reader });
      assertMatchesObSchema('payment-initiation', 'OBWritePaymentDetailsResponse1', details.json);
      assert.equal(details.json.Data.PaymentStatus[0].StatusDetail.StatusReasonDescription, reason);
    }
    assert.deepEqual(await balances(), before);
  });

  test('SANDBOX-SLOW answers late; SANDBOX-ERROR is a 500 that made nothing', async () => {
    const started = performance.now();
    const slow = await pay(domestic('2.00', 'SANDBOX-SLOW'));
    assert.equal(slow.status, 201);
    assert.ok(performance.now() - started >= SLOW_MS, 'it waited');
    const failing = domestic('2.00', 'SANDBOX-ERROR');
    const failed = await pay(failing);
    assertError(failed, 500, { ErrorCode: 'UK.OBIE.UnexpectedError' });
    assert.equal(failed.json.Errors[0].Message, 'An unexpected error occurred', 'a 500 says nothing more');
    assert.equal(log.lines.find((line) => line['id'] === failed.json.Id)?.msg, 'bank_core.error');
    assert.equal(await core.ledger.db('sandbox_payments').where({ consent_id: failing.consentId }).first(), undefined);
  });

  test('a scheduled payment and a standing order join the account\'s lists', async () => {
    const scheduledConsent = scheduledPaymentBody();
    const scheduled = await core.call('POST', '/domestic-scheduled-payments', { identity: payer('psc-1'), body: { Data: { ConsentId: 'psc-1', Initiation: scheduledConsent.Data.Initiation }, Risk: scheduledConsent.Risk } });
    assert.equal(scheduled.status, 201, JSON.stringify(scheduled.json));
    assertMatchesObSchema('payment-initiation', 'OBWriteDomesticScheduledResponse5', scheduled.json);
    assert.equal(scheduled.json.Data.Status, 'InitiationCompleted');
    const orderConsent = standingOrderBody();
    const order = await core.call('POST', '/domestic-standing-orders', { identity: payer('pso-1'), body: { Data: { ConsentId: 'pso-1', Initiation: orderConsent.Data.Initiation }, Risk: orderConsent.Risk } });
    assert.equal(order.status, 201, JSON.stringify(order.json));
    assertMatchesObSchema('payment-initiation', 'OBWriteDomesticStandingOrderResponse6', order.json);
    const scheduledList = await core.call('GET', `/accounts/${LEDGER.current}/scheduled-payments`, { identity: accountsReader });
    assertMatchesObSchema('account-info', 'OBReadScheduledPayment3', scheduledList.json);
    assert.ok(scheduledList.json.Data.ScheduledPayment.some((item: { ScheduledPaymentId: string }) => item.ScheduledPaymentId === scheduled.json.Data.DomesticScheduledPaymentId));
    const orders = await core.call('GET', `/accounts/${LEDGER.current}/standing-orders`, { identity: accountsReader });
    assertMatchesObSchema('account-info', 'OBReadStandingOrder6', orders.json);
    assert.ok(orders.json.Data.StandingOrder.some((item: { StandingOrderId: string; Reference: string }) => item.StandingOrderId === order.json.Data.DomesticStandingOrderId && item.Reference === 'Rent'));
    const details = await core.call('GET', `/domestic-standing-orders/${order.json.Data.DomesticStandingOrderId}/payment-details`, { identity: reader });
    assertMatchesObSchema('payment-initiation', 'OBWritePaymentDetailsResponse1', details.json);
  });

  test('a submission that is not its consent\'s, malformed, in another currency or from no account is refused', async () => {
    const submission = domestic('3.00');
    assertError(await core.call('POST', '/domestic-payments', { identity: payer('pc-other'), body: submission.body }), 400, { ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Path: 'Data.ConsentId' });
    assertError(await core.call('POST', '/domestic-payments', { identity: payer(submission.consentId), body: { Data: { ConsentId: submission.consentId }, Risk: {} } }), 400, { ErrorCode: 'UK.OBIE.Field.Missing', Path: 'Data.Initiation' });
    const euros = domestic('3.00');
    euros.body.Data.Initiation.InstructedAmount.Currency = 'EUR';
    assertError(await pay(euros), 400, { ErrorCode: 'UK.OBIE.Unsupported.Currency', Path: 'Data.Initiation.InstructedAmount.Currency' });
    const fraction = domestic('3.001');
    assertError(await pay(fraction), 400, { ErrorCode: 'UK.OBIE.Field.Invalid', Path: 'Data.Initiation.InstructedAmount.Amount' });
    assertError(await core.call('POST', '/domestic-payments', { identity: payer(submission.consentId, { accountIds: [] }), body: submission.body }), 403, { ErrorCode: 'UK.OBIE.Resource.ConsentMismatch' });
    assertError(await core.call('POST', '/domestic-payments', { identity: payer(submission.consentId, { scopes: ['accounts'] }), body: submission.body }), 403, { ErrorCode: 'UK.OBIE.Resource.ConsentMismatch' });
  });
});

describe(`bank core: scheduled payments and standing orders pay on their day (${storeKind})`, () => {
  const DAY_S = 86_400;
  const inDays = (days: number) => new Date(clock.now().getTime() + days * DAY_S * 1000).toISOString();
  const transactions = async () => (await core.call('GET', `/accounts/${LEDGER.current}/transactions`, { identity: accountsReader })).json.Data.Transaction as Array<Record<string, any>>;
  const listed = async (resource: 'scheduled-payments' | 'standing-orders', id: string) => {
    const answer = await core.call('GET', `/accounts/${LEDGER.current}/${resource}`, { identity: accountsReader });
    assertMatchesObSchema('account-info', resource === 'scheduled-payments' ? 'OBReadScheduledPayment3' : 'OBReadStandingOrder6', answer.json);
    return (answer.json.Data.ScheduledPayment ?? answer.json.Data.StandingOrder).find((item: Record<string, string>) => (item['ScheduledPaymentId'] ?? item['StandingOrderId']) === id);
  };

  test('a scheduled payment debits the account, booked, at its requested time, once, and leaves the scheduled list', async () => {
    const body = scheduledPaymentBody();
    const due = inDays(2);
    Object.assign(body.Data.Initiation, { RequestedExecutionDateTime: due, RemittanceInformation: { Reference: 'SCHED-1' }, InstructedAmount: { Amount: '42.10', Currency: 'GBP' } });
    const made = await core.call('POST', '/domestic-scheduled-payments', { identity: payer('psc-exec'), body: { Data: { ConsentId: 'psc-exec', Initiation: body.Data.Initiation }, Risk: body.Risk } });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const id = made.json.Data.DomesticScheduledPaymentId as string;

    clock.advance(2 * DAY_S - 1);
    const before = await balances();
    assert.ok(await listed('scheduled-payments', id), 'still scheduled a second before');
    assert.equal((await transactions()).filter((transaction) => transaction['TransactionReference'] === 'SCHED-1').length, 0, 'and not paid');

    clock.advance(1);
    const paid = (await transactions()).filter((transaction) => transaction['TransactionReference'] === 'SCHED-1');
    assert.equal(paid.length, 1, 'paid once');
    assertMatchesObSchema('account-info', 'OBTransaction6', paid[0]);
    assert.deepEqual([paid[0]!['Status'], paid[0]!['CreditDebitIndicator'], paid[0]!['Amount'].Amount, paid[0]!['BookingDateTime']], ['Booked', 'Debit', '42.10', new Date(due).toISOString()]);
    assert.equal(await listed('scheduled-payments', id), undefined, 'off the list once paid');
    assert.deepEqual(await balances(), { InterimBooked: (Number(before['InterimBooked']) - 42.1).toFixed(2), InterimAvailable: (Number(before['InterimAvailable']) - 42.1).toFixed(2) });
    clock.advance(DAY_S);
    assert.equal((await transactions()).filter((transaction) => transaction['TransactionReference'] === 'SCHED-1').length, 1, 'and never again');
  });

  test('a standing order pays its first, recurring and final amounts on the frequency\'s dates, then is Inactive', async () => {
    const body = standingOrderBody();
    const first = inDays(1);
    Object.assign(body.Data.Initiation, {
      Frequency: 'EvryDay', Reference: 'ORDER-EXEC', FirstPaymentDateTime: first, NumberOfPayments: '3', FinalPaymentDateTime: undefined,
      FirstPaymentAmount: { Amount: '10.00', Currency: 'GBP' }, RecurringPaymentAmount: { Amount: '5.00', Currency: 'GBP' }, FinalPaymentAmount: { Amount: '1.00', Currency: 'GBP' },
    });
    const made = await core.call('POST', '/domestic-standing-orders', { identity: payer('pso-exec'), body: { Data: { ConsentId: 'pso-exec', Initiation: body.Data.Initiation }, Risk: body.Risk } });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const id = made.json.Data.DomesticStandingOrderId as string;
    const before = await balances();
    const paid = async () => (await transactions()).filter((transaction) => transaction['TransactionReference'] === 'ORDER-EXEC').map((transaction) => [transaction['BookingDateTime'], transaction['Amount'].Amount]).sort();
    const day = (n: number) => new Date(Date.parse(first) + n * DAY_S * 1000).toISOString();

    clock.advance(2 * DAY_S);
    assert.deepEqual(await paid(), [[day(0), '10.00'], [day(1), '5.00']], 'two days in: the first and one recurring payment');
    const active = await listed('standing-orders', id);
    assert.deepEqual([active.StandingOrderStatusCode, active.LastPaymentDateTime, active.LastPaymentAmount.Amount, active.NextPaymentDateTime, active.NextPaymentAmount.Amount], ['Active', day(1), '5.00', day(2), '1.00']);

    clock.advance(5 * DAY_S);
    assert.deepEqual(await paid(), [[day(0), '10.00'], [day(1), '5.00'], [day(2), '1.00']], 'the final amount last, and no more than NumberOfPayments');
    const done = await listed('standing-orders', id);
    assert.deepEqual([done.StandingOrderStatusCode, done.LastPaymentAmount.Amount, 'NextPaymentDateTime' in done], ['Inactive', '1.00', false]);
    assert.equal((await balances())['InterimBooked'], (Number(before['InterimBooked']) - 16).toFixed(2));
  });
});

describe(`bank core: funds confirmations (${storeKind})`, () => {
  const checker = (consentId: string): Partial<CallerIdentity> => ({ clientId: 'cbpii-1', customerId: LEDGER.alice, consentId, accountIds: [LEDGER.current], scopes: ['fundsconfirmations'] });
  const ask = (amount: string, reference = 'Purchase01') => core.call('POST', '/funds-confirmations', { identity: checker('fc-1'), body: { Data: { ConsentId: 'fc-1', Reference: reference, InstructedAmount: { Amount: amount, Currency: 'GBP' } } } });

  test('funds are available up to the available balance and overdraft; SANDBOX-NO-FUNDS says no', async () => {
    const yes = await ask('20.00');
    assert.equal(yes.status, 201, JSON.stringify(yes.json));
    assertMatchesObSchema('confirmation-funds', 'OBFundsConfirmationResponse1', yes.json);
    assert.equal(yes.json.Data.FundsAvailable, true);
    assert.equal((await ask('100000.00')).json.Data.FundsAvailable, false);
    assert.equal((await ask('20.00', 'SANDBOX-NO-FUNDS')).json.Data.FundsAvailable, false);
    assertError(await core.call('POST', '/funds-confirmations', { identity: checker('fc-2'), body: { Data: { ConsentId: 'fc-1', Reference: 'x', InstructedAmount: { Amount: '1.00', Currency: 'GBP' } } } }), 400, { ErrorCode: 'UK.OBIE.Resource.ConsentMismatch' });
  });
});
