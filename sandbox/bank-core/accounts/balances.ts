import { formatMinor, indicatorOf, minorOf } from '../money.ts';
import type { AccountRow } from './ledger-reads.store.ts';

function balance(account: AccountRow, type: 'InterimBooked' | 'InterimAvailable', minor: bigint): Record<string, unknown> {
  return {
    AccountId: account.account_id, CreditDebitIndicator: indicatorOf(minor), Type: type, DateTime: account.balance_at.toISOString(),
    Amount: { Amount: formatMinor(minor), Currency: account.currency },
  };
}

/**
 * An account's OBReadBalance1 entries, from the ledger's running figures: the booked balance, and
 * the available one (booked less pending debits, so a payment shows at once), with its arranged
 * overdraft or card limit as a credit line not included in it.
 */
export function accountBalances(account: AccountRow): Array<Record<string, unknown>> {
  const available = balance(account, 'InterimAvailable', minorOf(account.available_minor));
  if (account.credit_line_minor !== null) {
    const creditCard = account.body['AccountSubType'] === 'CreditCard';
    available['CreditLine'] = [{ Included: false, Type: creditCard ? 'Credit' : 'Pre-Agreed', Amount: { Amount: formatMinor(minorOf(account.credit_line_minor)), Currency: account.currency } }];
  }
  return [balance(account, 'InterimBooked', minorOf(account.booked_minor)), available];
}

/** What the account can pay out now: its available balance and any credit line. */
export function spendableMinor(account: AccountRow): bigint {
  return minorOf(account.available_minor) + (account.credit_line_minor === null ? 0n : minorOf(account.credit_line_minor));
}
