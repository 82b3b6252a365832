import type { AnyPaymentInitiation, ConsentRequestOf, KindedRequest, PaymentKind } from './consent-kinds.ts';
import { ObError, type ObErrorDetail } from '../openbanking/ob-error.ts';
import type { ObAccount, ObAmount, ObFundsConfirmationConsent1, ObReadConsent1 } from '../openbanking/ob-request.types.ts';
import type { ObPermission } from '../openbanking/ob-vocabulary.ts';

/*
 * The rules of a consent request that a JSON schema cannot say: dates in the future and in order,
 * permission combinations, and what this bank supports (currency, account schemes, payment
 * schemes). Each failure names the field, with the code the Read/Write API assigns to it.
 */

/** Account identification schemes the bank can debit or credit (UK domestic payments). */
const SUPPORTED_SCHEMES = new Set(['UK.OBIE.SortCodeAccountNumber', 'UK.OBIE.IBAN']);
const SUPPORTED_CURRENCIES = new Set(['GBP']);
/** Payment schemes the bank sends domestic payments over. */
const SUPPORTED_LOCAL_INSTRUMENTS = new Set(['UK.OBIE.FPS', 'UK.OBIE.BACS', 'UK.OBIE.CHAPS']);

const TRANSACTION_DETAIL: readonly ObPermission[] = ['ReadTransactionsBasic', 'ReadTransactionsDetail'];
const TRANSACTION_DIRECTION: readonly ObPermission[] = ['ReadTransactionsCredits', 'ReadTransactionsDebits'];

type Problems = ObErrorDetail[];

function futureDate(problems: Problems, value: string | undefined, path: string, now: Date): void {
  if (value !== undefined && Date.parse(value) <= now.getTime()) {
    problems.push({ ErrorCode: 'UK.OBIE.Field.InvalidDate', Message: `${path} must be in the future`, Path: path });
  }
}

function inOrder(problems: Problems, earlier: string | undefined, later: string | undefined, paths: [string, string]): void {
  if (earlier !== undefined && later !== undefined && Date.parse(earlier) > Date.parse(later)) {
    problems.push({ ErrorCode: 'UK.OBIE.Field.InvalidDate', Message: `${paths[0]} must not be after ${paths[1]}`, Path: paths[1] });
  }
}

function supportedAccount(problems: Problems, account: ObAccount | undefined, path: string): void {
  if (account && !SUPPORTED_SCHEMES.has(account.SchemeName)) {
    problems.push({ ErrorCode: 'UK.OBIE.Unsupported.AccountIdentifier', Message: `${path}.SchemeName ${account.SchemeName} is not supported`, Path: `${path}.SchemeName` });
  }
}

function supportedAmount(problems: Problems, amount: ObAmount | undefined, path: string): void {
  if (!amount) return;
  if (!SUPPORTED_CURRENCIES.has(amount.Currency)) {
    problems.push({ ErrorCode: 'UK.OBIE.Unsupported.Currency', Message: `${path}.Currency ${amount.Currency} is not supported; domestic payments are in GBP`, Path: `${path}.Currency` });
  }
  if (Number(amount.Amount) <= 0) problems.push({ ErrorCode: 'UK.OBIE.Field.Invalid', Message: `${path}.Amount must be more than zero`, Path: `${path}.Amount` });
}

function accountAccess(problems: Problems, body: ObReadConsent1, now: Date): void {
  const { Data } = body;
  const permissions = new Set(Data.Permissions);
  if (permissions.size !== Data.Permissions.length) {
    problems.push({ ErrorCode: 'UK.OBIE.Field.Invalid', Message: 'Data.Permissions must not repeat a permission', Path: 'Data.Permissions' });
  }
  // OB Account and Transaction API: the transaction clusters only make sense together.
  const detail = TRANSACTION_DETAIL.some((permission) => permissions.has(permission));
  const direction = TRANSACTION_DIRECTION.some((permission) => permissions.has(permission));
  if (detail !== direction) {
    problems.push({
      ErrorCode: 'UK.OBIE.Field.Invalid',
      Message: 'Data.Permissions must pair ReadTransactionsBasic or ReadTransactionsDetail with ReadTransactionsCredits and/or ReadTransactionsDebits',
      Path: 'Data.Permissions',
    });
  }
  futureDate(problems, Data.ExpirationDateTime, 'Data.ExpirationDateTime', now);
  inOrder(problems, Data.TransactionFromDateTime, Data.TransactionToDateTime, ['Data.TransactionFromDateTime', 'Data.TransactionToDateTime']);
}

function fundsConfirmation(problems: Problems, body: ObFundsConfirmationConsent1, now: Date): void {
  futureDate(problems, body.Data.ExpirationDateTime, 'Data.ExpirationDateTime', now);
  supportedAccount(problems, body.Data.DebtorAccount, 'Data.DebtorAccount');
}

function payment(problems: Problems, body: ConsentRequestOf[PaymentKind], now: Date): void {
  const initiation: AnyPaymentInitiation = body.Data.Initiation;
  const path = 'Data.Initiation';
  if (initiation.LocalInstrument !== undefined && !SUPPORTED_LOCAL_INSTRUMENTS.has(initiation.LocalInstrument)) {
    problems.push({ ErrorCode: 'UK.OBIE.Unsupported.LocalInstrument', Message: `${path}.LocalInstrument ${initiation.LocalInstrument} is not supported`, Path: `${path}.LocalInstrument` });
  }
  for (const field of ['InstructedAmount', 'FirstPaymentAmount', 'RecurringPaymentAmount', 'FinalPaymentAmount'] as const) supportedAmount(problems, initiation[field], `${path}.${field}`);
  supportedAccount(problems, initiation.DebtorAccount, `${path}.DebtorAccount`);
  supportedAccount(problems, initiation.CreditorAccount, `${path}.CreditorAccount`);
  futureDate(problems, initiation.RequestedExecutionDateTime, `${path}.RequestedExecutionDateTime`, now);
  futureDate(problems, initiation.FirstPaymentDateTime, `${path}.FirstPaymentDateTime`, now);
  inOrder(problems, initiation.FirstPaymentDateTime, initiation.FinalPaymentDateTime, [`${path}.FirstPaymentDateTime`, `${path}.FinalPaymentDateTime`]);
  futureDate(problems, body.Data.Authorisation?.CompletionDateTime, 'Data.Authorisation.CompletionDateTime', now);
}

/** Throws an `ObError` listing every rule the (schema-valid) request breaks. */
export function checkConsentRules(consent: KindedRequest, now: Date): void {
  const problems: Problems = [];
  switch (consent.kind) {
    case 'account-access':
      accountAccess(problems, consent.request, now);
      break;
    case 'funds-confirmation':
      fundsConfirmation(problems, consent.request, now);
      break;
    default:
      payment(problems, consent.request, now);
  }
  if (problems.length > 0) throw new ObError(400, problems);
}
