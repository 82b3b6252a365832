/** A payment account of a customer, as the consent page and the consent API need it. */
export interface CustomerAccount {
  /** The bank's stable, opaque AccountId (what an AIS consent's account list holds). */
  accountId: string;
  /** Scheme and identification, as in OBCashAccount (sort code + account number, IBAN, or a card's number). */
  schemeName: 'UK.OBIE.SortCodeAccountNumber' | 'UK.OBIE.IBAN' | 'UK.OBIE.PAN';
  identification: string;
  /** The account holder's name on the account. */
  name: string;
  /** What the customer calls it ("Everyday account"). */
  nickname: string;
  currency: string;
  /** Available balance, a decimal string in `currency`: negative ("-643.18") when overdrawn. */
  availableBalance: string;
}

/**
 * Where the customer's accounts come from. The sandbox implements it with a small deterministic
 * set; a bank plugs in its core banking system (later: the sandbox bank behind the gateway) behind
 * the same two calls.
 */
export interface CustomerAccounts {
  /** The customer's accounts that can be shared or paid from, in a stable order. */
  listAccounts(customerId: string): Promise<CustomerAccount[]>;
  /** The customer's account with this scheme and identification, if it is theirs. */
  findAccount(customerId: string, schemeName: string, identification: string): Promise<CustomerAccount | undefined>;
}
