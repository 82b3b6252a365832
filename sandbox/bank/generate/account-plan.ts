import type { JsonObject } from './bank-unit.ts';
import type { AccountIdentification } from './identifiers.ts';

/** Someone on the other side of a payment, as OBCashAccount names them. */
export interface Counterparty {
  schemeName: string;
  identification: string;
  name: string;
}

/** How an entry was made: picks its bank transaction codes and what it names. */
export type EntryCode = 'card' | 'atm' | 'fp-in' | 'fp-out' | 'so-in' | 'so-out' | 'dd' | 'sepa-in' | 'interest' | 'repayment';

/** One movement on an account before it is a transaction: signed minor units, credits positive. */
export interface LedgerEntry {
  at: number;
  minor: number;
  code: EntryCode;
  /** What the customer's statement says ("Tesco", "Octopus Energy DD"). */
  information: string;
  merchant?: { name: string; mcc: string };
  counterparty?: Counterparty;
  reference?: string;
}

export type ProductKind = 'personal-current' | 'student-current' | 'savings' | 'credit-card' | 'eur-current' | 'business-current' | 'business-savings' | 'business-eur' | 'business-card';

/**
 * An account while its customer's story is written: what it is, its entries so far and its
 * standing lists (OB bodies). `transactions.ts` then books the entries and balances them.
 */
export interface AccountPlan {
  accountId: string;
  product: ProductKind;
  currency: 'GBP' | 'EUR';
  accountType: 'Personal' | 'Business';
  nickname: string;
  /** The name on the account (both holders' for a joint one). */
  name: string;
  holders: readonly string[];
  identification: AccountIdentification;
  openedAt: number;
  /** Arranged overdraft or card limit, minor units. */
  creditLine: number | null;
  /** A story fixes the balance it is left with (InterimAvailable); otherwise where the year starts. */
  balance: { available: number } | { opening: number };
  entries: LedgerEntry[];
  directDebits: JsonObject[];
  standingOrders: JsonObject[];
  beneficiaries: JsonObject[];
  scheduledPayments: JsonObject[];
}

export type NewAccount = Omit<AccountPlan, 'entries' | 'directDebits' | 'standingOrders' | 'beneficiaries' | 'scheduledPayments'>;

export function planAccount(account: NewAccount): AccountPlan {
  return { ...account, entries: [], directDebits: [], standingOrders: [], beneficiaries: [], scheduledPayments: [] };
}

/** The account as a payee or payer names it. */
export function counterpartyOf(plan: AccountPlan): Counterparty {
  return { schemeName: plan.identification.schemeName, identification: plan.identification.identification, name: plan.name };
}
