import type { Knex } from 'knex';

import type { AccountRow } from '../accounts/ledger-reads.store.ts';
import { formatMinor, indicatorOf, minorOf } from '../money.ts';

/*
 * What a payment changes in the ledger: a pending debit that lowers the available balance at once,
 * booked later (the booked balance follows, and the transaction gets its running balance), and the
 * scheduled payments and standing orders an account lists. Callers hold the account's row lock
 * (`lockAccount`) for the length of their transaction.
 */

/** The account's row, locked until the transaction ends: one payment at a time per account. */
export async function lockAccount(trx: Knex.Transaction, accountId: string): Promise<AccountRow | undefined> {
  return trx<AccountRow>('sandbox_accounts').where({ account_id: accountId }).forUpdate().first();
}

/** A pending transaction of `amountMinor` (signed), with the available balance moved by it. */
export async function postPending(trx: Knex.Transaction, account: AccountRow, posting: { transactionId: string; amountMinor: bigint; at: Date; body: Record<string, unknown> }): Promise<void> {
  const available = minorOf(account.available_minor) + posting.amountMinor;
  const body = { ...posting.body, Status: 'Pending', BookingDateTime: posting.at.toISOString(), Balance: runningBalance('InterimAvailable', available, account.currency) };
  await trx('sandbox_transactions').insert({
    transaction_id: posting.transactionId, account_id: account.account_id, booking_at: posting.at, sequence: 0, status: 'Pending', amount_minor: String(posting.amountMinor), body: JSON.stringify(body),
  });
  await trx('sandbox_accounts').where({ account_id: account.account_id }).update({ available_minor: String(available), balance_at: posting.at });
}

/** Books a pending transaction at `at`: the booked balance moves, and the transaction shows it. */
export async function bookPending(trx: Knex.Transaction, transactionId: string, at: Date): Promise<void> {
  const transaction = (await trx('sandbox_transactions').where({ transaction_id: transactionId, status: 'Pending' }).first()) as { account_id: string; amount_minor: string; body: Record<string, unknown> } | undefined;
  if (!transaction) return;
  const [account] = (await trx('sandbox_accounts').where({ account_id: transaction.account_id })
    .update({ booked_minor: trx.raw('booked_minor + ?', [transaction.amount_minor]), balance_at: at }, ['booked_minor', 'currency'])) as Array<{ booked_minor: string; currency: string }>;
  const body = { ...transaction.body, Status: 'Booked', BookingDateTime: at.toISOString(), Balance: runningBalance('InterimBooked', minorOf(account!.booked_minor), account!.currency) };
  await trx('sandbox_transactions').where({ transaction_id: transactionId }).update({ status: 'Booked', booking_at: at, body: JSON.stringify(body) });
}

/** Appends a resource to the account's list of its kind (a payment's scheduled payment or standing order). */
export async function appendAccountResource(trx: Knex.Transaction, accountId: string, kind: 'scheduled-payment' | 'standing-order', resourceId: string, body: Record<string, unknown>): Promise<void> {
  const last = (await trx('sandbox_account_resources').where({ account_id: accountId, kind }).max({ position: 'position' }).first()) as { position: number | null };
  await trx('sandbox_account_resources').insert({ account_id: accountId, kind, resource_id: resourceId, position: (last.position ?? -1) + 1, body: JSON.stringify(body) });
}

/** A resource of the account's list of its kind (a payment's scheduled payment or standing order). */
export async function findAccountResource(trx: Knex.Transaction, accountId: string, kind: 'scheduled-payment' | 'standing-order', resourceId: string): Promise<Record<string, unknown> | undefined> {
  const row = (await trx('sandbox_account_resources').where({ account_id: accountId, kind, resource_id: resourceId }).first('body')) as { body: Record<string, unknown> } | undefined;
  return row?.body;
}

/** Replaces a resource's body, keeping its place in the list. */
export async function replaceAccountResource(trx: Knex.Transaction, accountId: string, kind: 'scheduled-payment' | 'standing-order', resourceId: string, body: Record<string, unknown>): Promise<void> {
  await trx('sandbox_account_resources').where({ account_id: accountId, kind, resource_id: resourceId }).update({ body: JSON.stringify(body) });
}

/** Takes a resource off the account's list (a scheduled payment once it has paid). */
export async function removeAccountResource(trx: Knex.Transaction, accountId: string, kind: 'scheduled-payment' | 'standing-order', resourceId: string): Promise<void> {
  await trx('sandbox_account_resources').where({ account_id: accountId, kind, resource_id: resourceId }).delete();
}

function runningBalance(type: 'InterimAvailable' | 'InterimBooked', minor: bigint, currency: string): Record<string, unknown> {
  return { CreditDebitIndicator: indicatorOf(minor), Type: type, Amount: { Amount: formatMinor(minor), Currency: currency } };
}
