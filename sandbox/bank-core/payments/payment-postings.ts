import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import type { AccountRow } from '../accounts/ledger-reads.store.ts';
import { appendAccountResource, postPending } from './ledger-postings.store.ts';
import type { Initiation, PaymentKindSpec } from './payment-kinds.ts';

/*
 * What an accepted payment puts in the debtor's ledger, in the Read/Write API's shapes: a domestic
 * payment a pending debit (OBTransaction6), a scheduled payment an entry of its scheduled payments
 * (OBScheduledPayment3), a standing order one of its standing orders (OBStandingOrder6); these two
 * pay when their day comes (execute-instructions.ts).
 */

/** Posts the payment; returns the ledger transaction it made, if any, and its status. */
export async function postPayment(trx: Knex.Transaction, spec: PaymentKindSpec, account: AccountRow, payment: { paymentId: string; initiation: Initiation; minor: bigint; at: Date }): Promise<{ status: string; transactionId: string | null }> {
  const { initiation, paymentId } = payment;
  const amount = initiation[spec.amountField]!;
  const reference = spec.referenceOf(initiation);
  const creditor = initiation.CreditorAccount;
  if (spec.kind === 'domestic-payment') {
    const transactionId = `tx-${randomUUID()}`;
    await postPending(trx, account, {
      transactionId, amountMinor: -payment.minor, at: payment.at,
      body: {
        AccountId: account.account_id, TransactionId: transactionId, ...(reference !== undefined && { TransactionReference: reference }),
        CreditDebitIndicator: 'Debit', TransactionInformation: `Payment to ${creditor.Name}`.slice(0, 500), Amount: amount,
        ProprietaryBankTransactionCode: { Code: 'FasterPayment' }, CreditorAccount: creditor,
      },
    });
    return { status: 'AcceptedSettlementInProcess', transactionId };
  }
  if (spec.kind === 'domestic-scheduled-payment') {
    await appendAccountResource(trx, account.account_id, 'scheduled-payment', paymentId, {
      AccountId: account.account_id, ScheduledPaymentId: paymentId, ScheduledPaymentDateTime: initiation.RequestedExecutionDateTime, ScheduledType: 'Execution',
      ...(reference !== undefined && { Reference: reference }), InstructedAmount: amount, CreditorAccount: creditor,
    });
    return { status: 'InitiationCompleted', transactionId: null };
  }
  await appendAccountResource(trx, account.account_id, 'standing-order', paymentId, {
    AccountId: account.account_id, StandingOrderId: paymentId, Frequency: initiation.Frequency, ...(reference !== undefined && { Reference: reference }),
    FirstPaymentDateTime: initiation.FirstPaymentDateTime, NextPaymentDateTime: initiation.FirstPaymentDateTime,
    ...(initiation.FinalPaymentDateTime !== undefined && { FinalPaymentDateTime: initiation.FinalPaymentDateTime }),
    ...(initiation.NumberOfPayments !== undefined && { NumberOfPayments: initiation.NumberOfPayments }),
    StandingOrderStatusCode: 'Active', FirstPaymentAmount: amount, NextPaymentAmount: amount,
    CreditorAccount: creditor,
  });
  return { status: 'InitiationCompleted', transactionId: null };
}
