import type { AnyPaymentInitiation, ConsentRequestOf, KindedRequest, PaymentKind } from '../consent-kinds.ts';
import type { ObAccount, ObAmount, ObReadConsent1 } from '../../openbanking/ob-request.types.ts';
import type { ObPermission } from '../../openbanking/ob-vocabulary.ts';

/*
 * A consent in plain words, for the customer: the consent page before they decide, and the
 * "Connected apps" dashboard after. Permission clusters are grouped as the customer thinks of them
 * ("Your balances"), not as the standard lists them, and every date is spelled out.
 */

/** One thing the app will be able to see or do, with the detail that makes it concrete. */
export interface ConsentItem {
  title: string;
  detail?: string;
}

export interface ConsentDescription {
  /** "See your account information", "Make a payment", … */
  summary: string;
  items: ConsentItem[];
  /** "Until 24 February 2027", or undefined when it has no end. */
  until?: string;
  /** For payments: what leaves the account, and to whom. */
  payment?: { amount: string; payee: string; payeeAccount: string; reference?: string; when?: string; schedule?: string };
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/** `2027-02-24T10:00:00Z` -> "24 February 2027" (UK time, the bank's customers' clock). */
export function spellDate(value: string): string {
  return DATE.format(new Date(value));
}

/** `{ Amount: '165.88', Currency: 'GBP' }` -> "£165.88". */
export function spellAmount(amount: ObAmount): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: amount.Currency }).format(Number(amount.Amount));
}

function period(from: string | undefined, to: string | undefined): string {
  if (from && to) return `from ${spellDate(from)} to ${spellDate(to)}`;
  if (from) return `from ${spellDate(from)} onwards`;
  if (to) return `up to ${spellDate(to)}`;
  return 'from as far back as we keep them';
}

function accountItems(data: ObReadConsent1['Data']): ConsentItem[] {
  const permissions: readonly ObPermission[] = data.Permissions;
  const has = (...names: ObPermission[]) => names.some((name) => permissions.includes(name));
  const items: ConsentItem[] = [];
  if (has('ReadAccountsDetail')) items.push({ title: 'Your account details', detail: 'Account names, types, sort codes and account numbers' });
  else if (has('ReadAccountsBasic')) items.push({ title: 'Your account details', detail: 'Account names and types, without account numbers' });
  if (has('ReadBalances')) items.push({ title: 'Your balances' });
  if (has('ReadTransactionsBasic', 'ReadTransactionsDetail')) {
    const direction = has('ReadTransactionsCredits') && has('ReadTransactionsDebits') ? 'money in and money out'
      : has('ReadTransactionsCredits') ? 'money in only' : 'money out only';
    items.push({
      title: `Your transactions ${period(data.TransactionFromDateTime, data.TransactionToDateTime)}`,
      detail: `${has('ReadTransactionsDetail') ? 'Including who the payments were to or from and their references' : 'Amounts and dates'}; ${direction}`,
    });
  }
  if (has('ReadBeneficiariesBasic', 'ReadBeneficiariesDetail')) items.push({ title: 'The people and businesses you have saved as payees', detail: has('ReadBeneficiariesDetail') ? 'Including their account details' : undefined });
  if (has('ReadStandingOrdersBasic', 'ReadStandingOrdersDetail')) items.push({ title: 'Your standing orders', detail: has('ReadStandingOrdersDetail') ? 'Including who they pay' : undefined });
  if (has('ReadDirectDebits')) items.push({ title: 'Your direct debits' });
  if (has('ReadScheduledPaymentsBasic', 'ReadScheduledPaymentsDetail')) items.push({ title: 'Payments you have scheduled', detail: has('ReadScheduledPaymentsDetail') ? 'Including who they pay' : undefined });
  if (has('ReadStatementsBasic', 'ReadStatementsDetail')) items.push({ title: 'Your statements', detail: has('ReadStatementsDetail') ? 'Including the amounts on them' : undefined });
  if (has('ReadProducts')) items.push({ title: 'The products you hold with us', detail: 'Such as interest rates, fees and overdraft terms' });
  if (has('ReadOffers')) items.push({ title: 'Offers we have made you' });
  if (has('ReadParty', 'ReadPartyPSU')) items.push({ title: 'Your name and contact details', detail: 'Such as your address, phone number and email' });
  if (has('ReadPAN')) items.push({ title: 'Your full card numbers' });
  return items.map((item) => (item.detail === undefined ? { title: item.title } : item));
}

function spellAccount(account: ObAccount): string {
  if (account.SchemeName === 'UK.OBIE.SortCodeAccountNumber' && /^\d{14}$/.test(account.Identification)) {
    const id = account.Identification;
    return `sort code ${id.slice(0, 2)}-${id.slice(2, 4)}-${id.slice(4, 6)}, account ${id.slice(6)}`;
  }
  return account.Identification;
}

function describePayment(kind: PaymentKind, request: ConsentRequestOf[PaymentKind]): ConsentDescription {
  const { CreditorAccount } = request.Data.Initiation;
  const initiation: AnyPaymentInitiation = request.Data.Initiation;
  // Every payment kind carries one of the two (the schemas require it).
  const amount = initiation.InstructedAmount ?? initiation.FirstPaymentAmount!;
  const payment: NonNullable<ConsentDescription['payment']> = {
    amount: spellAmount(amount),
    payee: CreditorAccount.Name,
    payeeAccount: spellAccount(CreditorAccount),
  };
  const reference = initiation.RemittanceInformation?.Reference ?? initiation.Reference;
  if (reference) payment.reference = reference;
  if (kind === 'domestic-scheduled-payment') payment.when = `On ${spellDate(initiation.RequestedExecutionDateTime!)}`;
  if (kind === 'domestic-standing-order') {
    payment.when = `First payment on ${spellDate(initiation.FirstPaymentDateTime!)}`;
    payment.schedule = `Repeats (${initiation.Frequency})${initiation.FinalPaymentDateTime ? ` until ${spellDate(initiation.FinalPaymentDateTime)}` : ' until you cancel it'}`;
  }
  const summary = kind === 'domestic-standing-order' ? 'Set up a standing order' : kind === 'domestic-scheduled-payment' ? 'Schedule a payment' : 'Make a payment';
  return { summary, items: [{ title: `${summary} of ${payment.amount} to ${payment.payee}` }], payment };
}

function withEnd(description: ConsentDescription, expiration: string | undefined): ConsentDescription {
  return expiration ? { ...description, until: `Until ${spellDate(expiration)}` } : description;
}

/** Describes a consent from its kind and request, as the customer should read it. */
export function describeConsent(consent: KindedRequest): ConsentDescription {
  switch (consent.kind) {
    case 'account-access':
      return withEnd({ summary: 'See your account information', items: accountItems(consent.request.Data) }, consent.request.Data.ExpirationDateTime);
    case 'funds-confirmation':
      return withEnd({ summary: 'Check you have enough money for a payment', items: [{ title: 'Whether your account has enough money for a payment', detail: 'Only a yes or no answer: never your balance' }] }, consent.request.Data.ExpirationDateTime);
    default:
      return describePayment(consent.kind, consent.request);
  }
}
