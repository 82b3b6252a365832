import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import { toMinor } from '../money.ts';
import { instructedAmount, instructedPaymentAt } from './instruction-schedule.ts';
import { bookPending, findAccountResource, lockAccount, postPending, removeAccountResource, replaceAccountResource } from './ledger-postings.store.ts';
import type { Initiation, PaymentKind } from './payment-kinds.ts';
import { findDueExecutions, recordExecution, type PaymentRow } from './payment.store.ts';

/*
 * Scheduled payments and standing orders pay when their day comes, as a bank's overnight run
 * would: each payment a booked debit at the moment it was due, the account's scheduled payment
 * taken off its list once paid, the standing order's next and last payments kept up to date and
 * the order Inactive after its final one. Like settlement this is worked out when a read needs it,
 * in the reader's transaction; a payment is made whatever the balance (the sandbox lets it go
 * overdrawn rather than track failed instructions).
 */

type Amount = { Amount: string; Currency: string };

async function debit(trx: Knex.Transaction, payment: PaymentRow, kind: PaymentKind, initiation: Initiation, amount: Amount, at: Date): Promise<void> {
  const account = (await lockAccount(trx, payment.account_id))!;
  const transactionId = `tx-${randomUUID()}`;
  const creditor = initiation.CreditorAccount;
  const standingOrder = kind === 'domestic-standing-order';
  const reference = standingOrder ? initiation.Reference : initiation.RemittanceInformation?.Reference;
  await postPending(trx, account, {
    transactionId, amountMinor: -toMinor(amount.Amount)!, at,
    body: {
      AccountId: account.account_id, TransactionId: transactionId, ...(reference !== undefined && { TransactionReference: reference }),
      CreditDebitIndicator: 'Debit', TransactionInformation: `${standingOrder ? 'Standing order' : 'Scheduled payment'} to ${creditor.Name}`.slice(0, 500), Amount: amount,
      BankTransactionCode: { Code: 'IssuedCreditTransfer', SubCode: standingOrder ? 'StandingOrder' : 'DomesticCreditTransfer' },
      ProprietaryBankTransactionCode: { Code: standingOrder ? 'SO' : 'FPO', Issuer: 'Portcullis Sandbox Bank' }, CreditorAccount: creditor,
    },
  });
  await bookPending(trx, transactionId, at);
}

/** The account's listing of a standing order after its latest payment. */
function standingOrderAfter(listed: Record<string, unknown>, last: { at: Date; amount: Amount }, next: { at: Date; amount: Amount } | undefined): Record<string, unknown> {
  const { NextPaymentDateTime: _at, NextPaymentAmount: _amount, ...rest } = listed;
  return {
    ...rest, LastPaymentDateTime: last.at.toISOString(), LastPaymentAmount: last.amount,
    ...(next ? { NextPaymentDateTime: next.at.toISOString(), NextPaymentAmount: next.amount, StandingOrderStatusCode: 'Active' } : { StandingOrderStatusCode: 'Inactive' }),
  };
}

/** Makes every payment due by `now` of the scheduled payments and standing orders in `scope`; the caller holds the transaction. */
export async function executeDueInstructions(trx: Knex.Transaction, scope: { accountIds?: readonly string[]; paymentId?: string }, now: Date): Promise<void> {
  for (const payment of await findDueExecutions(trx, scope, now)) {
    const kind = payment.kind as PaymentKind;
    const initiation = (payment.body as { Initiation: Initiation }).Initiation;
    let index = payment.executions;
    let due: Date | undefined = payment.next_execution_at!;
    let last: { at: Date; amount: Amount } | undefined;
    while (due !== undefined && due <= now) {
      last = { at: due, amount: instructedAmount(kind, initiation, index, due) };
      await debit(trx, payment, kind, initiation, last.amount, due);
      index += 1;
      due = instructedPaymentAt(kind, initiation, index, due);
    }
    await recordExecution(trx, payment.payment_id, index, due ?? null);
    if (kind === 'domestic-scheduled-payment') {
      await removeAccountResource(trx, payment.account_id, 'scheduled-payment', payment.payment_id);
      continue;
    }
    const listed = await findAccountResource(trx, payment.account_id, 'standing-order', payment.payment_id);
    const next = due && { at: due, amount: instructedAmount(kind, initiation, index, due) };
    if (listed) await replaceAccountResource(trx, payment.account_id, 'standing-order', payment.payment_id, standingOrderAfter(listed, last!, next));
  }
}
