import type { Consent } from './consent.store.ts';
import type { CustomerAccounts } from './customer-accounts.ts';

// Amounts are decimal strings with up to 5 fraction digits (OB ActiveOrHistoricCurrencyAndAmount).
const SCALE = 100_000n;

function minorUnits(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole) * SCALE + BigInt(fraction.padEnd(5, '0').slice(0, 5));
}

/**
 * Whether the debtor account the customer chose holds the payment's amount now: the answer to a
 * PISP's funds confirmation (OBWriteFundsConfirmationResponse1). Exact decimal arithmetic; an
 * account that is no longer the customer's has no funds.
 */
export async function fundsAvailable(consent: Consent, accounts: CustomerAccounts): Promise<boolean> {
  const debtor = consent.debtor_account;
  if (consent.kind !== 'domestic-payment' || !debtor || !consent.customer_id) return false;
  const account = await accounts.findAccount(consent.customer_id, debtor.SchemeName, debtor.Identification);
  const instructed = consent.request.Data.Initiation.InstructedAmount;
  if (!account || account.currency !== instructed.Currency) return false;
  return minorUnits(account.availableBalance) >= minorUnits(instructed.Amount);
}
