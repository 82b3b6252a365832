import type { KindedRequest } from '../consent-kinds.ts';
import type { CustomerAccount } from '../customer-accounts.ts';
import type { ObAccount } from '../../openbanking/ob-request.types.ts';

/*
 * Which of their accounts the customer chooses on the consent page, and checking the choice they
 * send back: any number of accounts to share (AIS), the one account to pay from (PIS), or nothing
 * to choose when the partner fixed the account (a CBPII consent, a payment naming its debtor).
 */

export interface AccountChoice {
  /** `accounts`: checkboxes; `debtor`: one radio button; `fixed`: shown, not chosen. */
  mode: 'accounts' | 'debtor' | 'fixed';
  options: CustomerAccount[];
  /** Set when the customer cannot authorise at all (the request names an account that is not theirs). */
  problem?: string;
}

export interface AccountSelection {
  /** The accounts shared (AIS), or the one account paid from or asked about (PIS, CBPII). */
  accountIds?: string[];
  /** OBCashAccountDebtor4 of the chosen or fixed account. */
  debtorAccount?: ObAccount;
}

/** A choice the customer sent that the page never offered, or no choice where one is needed. */
export class SelectionInvalid extends Error {
  override name = 'SelectionInvalid';
}

function fixedAccount(pending: KindedRequest): ObAccount | undefined {
  switch (pending.kind) {
    case 'account-access':
      return undefined;
    case 'funds-confirmation':
      return pending.request.Data.DebtorAccount;
    default:
      return pending.request.Data.Initiation.DebtorAccount;
  }
}

const sameAccount = (fixed: ObAccount) => (account: CustomerAccount) => account.schemeName === fixed.SchemeName && account.identification === fixed.Identification;

// A payment is made from an account (sort code and number, or IBAN), never from a card's number.
const canPayFrom = (account: CustomerAccount) => account.schemeName !== 'UK.OBIE.PAN';

/** What the consent page offers this customer for this consent. */
export function accountChoiceFor(pending: KindedRequest, accounts: readonly CustomerAccount[]): AccountChoice {
  if (pending.kind === 'account-access') return { mode: 'accounts', options: [...accounts] };
  const fixed = fixedAccount(pending);
  if (!fixed) return { mode: 'debtor', options: accounts.filter(canPayFrom) };
  const options = accounts.filter(sameAccount(fixed));
  if (options.length === 0) return { mode: 'fixed', options, problem: 'The app asked about an account that is not one of yours, so it cannot be approved.' };
  return { mode: pending.kind === 'funds-confirmation' ? 'fixed' : 'debtor', options };
}

function asDebtor(account: CustomerAccount): ObAccount {
  return { SchemeName: account.schemeName, Identification: account.identification, Name: account.name };
}

/**
 * Reads the customer's choice from the consent form: `account:<AccountId>` checkboxes, or a
 * `debtor` radio naming an AccountId. Only accounts the page offered are accepted.
 */
export function readSelection(choice: AccountChoice, form: Readonly<Record<string, string>>): AccountSelection {
  if (choice.problem) throw new SelectionInvalid(choice.problem);
  const offered = new Map(choice.options.map((account) => [account.accountId, account]));
  if (choice.mode === 'accounts') {
    const chosen = Object.keys(form).filter((name) => name.startsWith('account:')).map((name) => name.slice('account:'.length));
    if (chosen.length === 0) throw new SelectionInvalid('Choose at least one account to share.');
    if (chosen.some((id) => !offered.has(id))) throw new SelectionInvalid('Choose from the accounts listed.');
    return { accountIds: chosen };
  }
  const debtor = choice.mode === 'fixed' ? choice.options[0]! : offered.get(form['debtor'] ?? '');
  if (!debtor) throw new SelectionInvalid('Choose the account to pay from.');
  // The bank's own id too: the bank core behind the gateway is told which account to pay from or check.
  return { accountIds: [debtor.accountId], debtorAccount: asDebtor(debtor) };
}
