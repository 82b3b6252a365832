import type { Consent } from '../consent.store.ts';
import type { CustomerAccount } from '../customer-accounts.ts';
import { describeConsent, spellDate, type ConsentItem } from '../journey/describe-consent.ts';
import type { AppIdentity } from '../../auth/clients/describe-app.ts';

/** One consent as the Connected apps page shows it: who, what, from which accounts, since and until when. */
export interface ConnectedApp extends AppIdentity {
  consentId: string;
  /** "See your account information", "Check you have enough money for a payment". */
  summary: string;
  items: ConsentItem[];
  /** "Everyday account, sort code 04-00-04, account ending 5678": never the full number. */
  accounts: string[];
  /** "24 November 2026": when the customer authorised it. */
  connectedOn: string;
  /** "Until 24 February 2027", or undefined when it runs until the customer stops it. */
  until?: string;
}

function accountLabel(account: CustomerAccount): string {
  const id = account.identification;
  return account.schemeName === 'UK.OBIE.SortCodeAccountNumber'
    ? `${account.nickname}, sort code ${id.slice(0, 2)}-${id.slice(2, 4)}-${id.slice(4, 6)}, account ending ${id.slice(-4)}`
    : `${account.nickname}, ${account.schemeName === 'UK.OBIE.PAN' ? 'card' : 'account'} ending ${id.slice(-4)}`;
}

// Only the consent's own accounts: those an AIS consent was given for, or a CBPII consent's debtor
// account. One the customer no longer holds is left out rather than shown half-known.
function sharedAccounts(consent: Consent, accounts: readonly CustomerAccount[]): CustomerAccount[] {
  if (consent.account_ids) return accounts.filter((account) => consent.account_ids!.includes(account.accountId));
  const debtor = consent.debtor_account;
  if (!debtor) return [];
  return accounts.filter((account) => account.schemeName === debtor.SchemeName && account.identification === debtor.Identification);
}

/** Describes an authorised consent for its customer, whose accounts are `accounts`. */
export function describeConnectedApp(consent: Consent, app: AppIdentity, accounts: readonly CustomerAccount[]): ConnectedApp {
  const { summary, items, until } = describeConsent(consent);
  const connected: ConnectedApp = {
    ...app,
    consentId: consent.id,
    summary,
    items,
    accounts: sharedAccounts(consent, accounts).map(accountLabel),
    connectedOn: spellDate(new Date(consent.status_updated_at).toISOString()),
  };
  if (until) connected.until = until;
  return connected;
}
