import type { AccountPlan, EntryCode, LedgerEntry } from './account-plan.ts';
import type { JsonObject, TransactionRow } from './bank-unit.ts';
import { amountOf, creditDebitOf } from './money.ts';
import { isoOf, type Window } from './schedule.ts';

/*
 * Books an account's entries in time order: each booked one carries the running balance after it
 * (OB's Balance, InterimBooked), card purchases of the last day and a half are still pending
 * (authorised, not yet booked: they lower the available balance only). A story that fixes the
 * available balance has the year's opening balance worked back from it.
 */

const PENDING_WINDOW = 36 * 3_600_000;
const ISSUER = 'Portcullis Sandbox Bank';

// ISO 20022 bank transaction families and sub-families, by name as OB's examples give them; and
// the codes a UK statement prints.
const CODES: Readonly<Record<EntryCode, { family: string; sub: string; proprietary: string }>> = {
  card: { family: 'CustomerCardTransaction', sub: 'PointOfSaleDebitCard', proprietary: 'DEB' },
  atm: { family: 'CustomerCardTransaction', sub: 'CashWithdrawal', proprietary: 'CPT' },
  'fp-in': { family: 'ReceivedCreditTransfer', sub: 'DomesticCreditTransfer', proprietary: 'FPI' },
  'fp-out': { family: 'IssuedCreditTransfer', sub: 'DomesticCreditTransfer', proprietary: 'FPO' },
  'so-in': { family: 'ReceivedCreditTransfer', sub: 'StandingOrder', proprietary: 'SO' },
  'so-out': { family: 'IssuedCreditTransfer', sub: 'StandingOrder', proprietary: 'SO' },
  dd: { family: 'IssuedDirectDebit', sub: 'DirectDebitPayment', proprietary: 'DD' },
  'sepa-in': { family: 'ReceivedCreditTransfer', sub: 'SEPACreditTransfer', proprietary: 'BGC' },
  interest: { family: 'MiscellaneousCreditOperation', sub: 'Interest', proprietary: 'INT' },
  repayment: { family: 'ReceivedCreditTransfer', sub: 'DomesticCreditTransfer', proprietary: 'BGC' },
};

export interface BookedAccount {
  transactions: TransactionRow[];
  /** ClosingBooked / InterimBooked at as-of. */
  booked: number;
  /** InterimAvailable: booked less the pending debits. */
  available: number;
  /** The booked balance when the window opens. */
  opening: number;
}

function isPending(entry: LedgerEntry, window: Window): boolean {
  return entry.code === 'card' && entry.minor < 0 && entry.at >= window.asOf - PENDING_WINDOW;
}

function bodyOf(plan: AccountPlan, entry: LedgerEntry, transactionId: string, pending: boolean, balance: number | undefined): JsonObject {
  const code = CODES[entry.code];
  const at = isoOf(entry.at);
  const card = entry.code === 'card' || entry.code === 'atm';
  const counterparty = entry.counterparty && { SchemeName: entry.counterparty.schemeName, Identification: entry.counterparty.identification, Name: entry.counterparty.name };
  return {
    AccountId: plan.accountId,
    TransactionId: transactionId,
    ...(entry.reference ? { TransactionReference: entry.reference } : {}),
    CreditDebitIndicator: creditDebitOf(entry.minor),
    Status: pending ? 'Pending' : 'Booked',
    TransactionMutability: pending ? 'Mutable' : 'Immutable',
    BookingDateTime: at,
    TransactionInformation: entry.information,
    Amount: amountOf(entry.minor, plan.currency),
    BankTransactionCode: { Code: code.family, SubCode: code.sub },
    ProprietaryBankTransactionCode: { Code: code.proprietary, Issuer: ISSUER },
    ...(balance === undefined ? {} : { Balance: { CreditDebitIndicator: creditDebitOf(balance), Type: 'InterimBooked', Amount: amountOf(balance, plan.currency) } }),
    ...(entry.merchant ? { MerchantDetails: { MerchantName: entry.merchant.name, MerchantCategoryCode: entry.merchant.mcc } } : {}),
    ...(counterparty ? (entry.minor < 0 ? { CreditorAccount: counterparty } : { DebtorAccount: counterparty }) : {}),
    ...(card ? { CardInstrument: { CardSchemeName: 'VISA', AuthorisationType: entry.code === 'atm' ? 'PIN' : 'Contactless', Name: plan.name.slice(0, 70), Identification: `************${plan.identification.identification.slice(-4)}` } } : {}),
  };
}

/** The account's transactions, in booking order, with its balances at as-of. */
export function bookEntries(plan: AccountPlan, window: Window): BookedAccount {
  // Stable: entries of one moment keep the order they were written in.
  const entries = plan.entries.map((entry, index) => ({ entry, index })).sort((a, b) => a.entry.at - b.entry.at || a.index - b.index).map(({ entry }) => entry);
  const pending = entries.map((entry) => isPending(entry, window));
  const bookedSum = entries.reduce((sum, entry, index) => sum + (pending[index] ? 0 : entry.minor), 0);
  const pendingSum = entries.reduce((sum, entry, index) => sum + (pending[index] ? entry.minor : 0), 0);
  const opening = 'opening' in plan.balance ? plan.balance.opening : plan.balance.available - pendingSum - bookedSum;
  let balance = opening;
  const transactions = entries.map((entry, index): TransactionRow => {
    const transactionId = `${plan.accountId}-t${index + 1}`;
    if (!pending[index]) balance += entry.minor;
    return {
      transaction_id: transactionId,
      account_id: plan.accountId,
      booking_at: isoOf(entry.at),
      sequence: index + 1,
      status: pending[index] ? 'Pending' : 'Booked',
      amount_minor: entry.minor,
      statement_id: null,
      body: bodyOf(plan, entry, transactionId, pending[index]!, pending[index] ? undefined : balance),
    };
  });
  return { transactions, booked: balance, available: balance + pendingSum, opening };
}
