import { counterpartyOf, type AccountPlan, type Counterparty } from './account-plan.ts';
import type { Biller } from './merchants.ts';
import { amountOf } from './money.ts';
import type { Random } from './random.ts';
import { DAY, isoOf, monthlyDates, nextMonthly, type Window } from './schedule.ts';

/*
 * The lists an account keeps of what it pays regularly or to whom (direct debits, standing
 * orders, beneficiaries, scheduled payments), each with the ledger entries it made in the window,
 * so that GET /direct-debits and GET /transactions tell the same story.
 */

function cashAccount(counterparty: Counterparty) {
  return { SchemeName: counterparty.schemeName, Identification: counterparty.identification, Name: counterparty.name };
}

/** A monthly direct debit to `biller`, collected on `day`; the amount drifts a little month to month. */
export function addDirectDebit(plan: AccountPlan, window: Window, random: Random, biller: Biller, day = random.int(1, 28)): void {
  const base = random.int(biller.minor[0], biller.minor[1]);
  const drift = Math.floor(base / 20);
  const mandate = `${biller.name.replace(/[^A-Za-z]/g, '').slice(0, 6).toUpperCase()}-${random.digits(8)}`;
  const dates = monthlyDates(window, day, random);
  let last = base;
  for (const at of dates) {
    last = base + random.int(-drift, drift);
    plan.entries.push({ at, minor: -last, code: 'dd', information: `${biller.name} DD`, reference: mandate });
  }
  const position = plan.directDebits.length + 1;
  plan.directDebits.push({
    AccountId: plan.accountId,
    DirectDebitId: `${plan.accountId}-dd${position}`,
    MandateIdentification: mandate,
    DirectDebitStatusCode: 'Active',
    Name: biller.name,
    ...(dates.length > 0 ? { PreviousPaymentDateTime: isoOf(dates.at(-1)!), PreviousPaymentAmount: amountOf(last, plan.currency) } : {}),
    Frequency: `IntrvlMnthDay:01:${String(day).padStart(2, '0')}`,
  });
}

/**
 * A monthly standing order to `payee` on `day`. When the payee is another account of the bank's
 * own (`into`), the same payment lands there as a credit.
 */
export function addStandingOrder(plan: AccountPlan, window: Window, random: Random, order: { payee: Counterparty; minor: number; day: number; reference: string; into?: AccountPlan }): void {
  const dates = monthlyDates(window, order.day, random);
  for (const at of dates) {
    plan.entries.push({ at, minor: -order.minor, code: 'so-out', information: `${order.payee.name} ${order.reference}`, counterparty: order.payee, reference: order.reference });
    order.into?.entries.push({ at, minor: order.minor, code: 'so-in', information: `${plan.name} ${order.reference}`, counterparty: counterpartyOf(plan), reference: order.reference });
  }
  const position = plan.standingOrders.length + 1;
  const amount = amountOf(order.minor, plan.currency);
  plan.standingOrders.push({
    AccountId: plan.accountId,
    StandingOrderId: `${plan.accountId}-so${position}`,
    Frequency: `IntrvlMnthDay:01:${String(order.day).padStart(2, '0')}`,
    Reference: order.reference,
    FirstPaymentDateTime: isoOf(dates[0] ?? nextMonthly(window, order.day)),
    NextPaymentDateTime: isoOf(nextMonthly(window, order.day)),
    ...(dates.length > 0 ? { LastPaymentDateTime: isoOf(dates.at(-1)!), LastPaymentAmount: amount } : {}),
    StandingOrderStatusCode: 'Active',
    FirstPaymentAmount: amount,
    NextPaymentAmount: amount,
    CreditorAccount: cashAccount(order.payee),
  });
}

/** A payee the customer keeps, paid by Faster Payment `payments` times in the window. */
export function addBeneficiary(plan: AccountPlan, window: Window, random: Random, payee: Counterparty, reference: string, payments: number, minor: readonly [number, number]): void {
  for (let index = 0; index < payments; index++) {
    const at = window.start + random.int(0, 363) * DAY + random.int(8 * 60, 22 * 60) * 60_000;
    plan.entries.push({ at, minor: -random.int(minor[0], minor[1]), code: 'fp-out', information: `${payee.name} ${reference}`, counterparty: payee, reference });
  }
  const position = plan.beneficiaries.length + 1;
  plan.beneficiaries.push({
    AccountId: plan.accountId,
    BeneficiaryId: `${plan.accountId}-ben${position}`,
    BeneficiaryType: payments > 2 ? 'Trusted' : 'Ordinary',
    Reference: reference,
    CreditorAccount: cashAccount(payee),
  });
}

/** A one-off payment the customer set up for a day after as-of. */
export function addScheduledPayment(plan: AccountPlan, window: Window, random: Random, payee: Counterparty, reference: string, minor: number): void {
  const position = plan.scheduledPayments.length + 1;
  plan.scheduledPayments.push({
    AccountId: plan.accountId,
    ScheduledPaymentId: `${plan.accountId}-sp${position}`,
    ScheduledPaymentDateTime: isoOf(window.asOf + random.int(2, 40) * DAY + 6 * 3_600_000),
    ScheduledType: 'Execution',
    Reference: reference,
    InstructedAmount: amountOf(minor, plan.currency),
    CreditorAccount: cashAccount(payee),
  });
}
