/*
 * What the generator yields, one customer (or one household sharing a joint account) at a time:
 * the rows of the sandbox ledger's tables, bodies already in their Read/Write v3.1.11 shapes, so
 * that the store only writes them.
 */

export type JsonObject = { [key: string]: unknown };

export interface CustomerRecord {
  customerId: string;
  username: string;
  displayName: string;
  kind: 'personal' | 'business';
  /** OBParty2 of the customer (GET /party). */
  party: JsonObject;
  /** A story customer's own password; generated customers share one. */
  password?: string;
}

export interface AccountRow {
  account_id: string;
  currency: string;
  body: JsonObject;
  product: JsonObject;
  booked_minor: number;
  available_minor: number;
  credit_line_minor: number | null;
  balance_at: string;
  scheme_name: string;
  identification: string;
}

export interface TransactionRow {
  transaction_id: string;
  account_id: string;
  booking_at: string;
  sequence: number;
  status: 'Booked' | 'Pending';
  amount_minor: number;
  statement_id: string | null;
  body: JsonObject;
}

export type ResourceKind = 'beneficiary' | 'direct-debit' | 'standing-order' | 'scheduled-payment' | 'statement' | 'party';

export interface ResourceRow {
  account_id: string;
  kind: ResourceKind;
  resource_id: string;
  position: number;
  body: JsonObject;
}

export interface AccountRecord {
  row: AccountRow;
  /** Customer ids of its holders, first holder first. */
  holders: readonly string[];
  transactions: TransactionRow[];
  resources: ResourceRow[];
}

/** One customer, or the two of a joint account, with every account they hold. */
export interface BankUnit {
  customers: CustomerRecord[];
  accounts: AccountRecord[];
}
