import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import type { CallerIdentity } from '../../../src/gateway/upstream/caller-identity.ts';
import { badRequest, ObError } from '../../../src/openbanking/ob-error.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import type { AccountRow } from '../accounts/ledger-reads.store.ts';
import { spendableMinor } from '../accounts/balances.ts';
import { toMinor } from '../money.ts';
import { scenarioOf } from '../scenario-switches.ts';
import { executeDueInstructions } from './execute-instructions.ts';
import { instructedPaymentAt } from './instruction-schedule.ts';
import { lockAccount } from './ledger-postings.store.ts';
import type { PaymentKindSpec, PaymentRequest } from './payment-kinds.ts';
import { postPayment } from './payment-postings.ts';
import { findPaymentByConsent, insertPayment, type PaymentRow } from './payment.store.ts';
import { SETTLEMENT_SECONDS } from './settle-payments.ts';

const mismatch = (Message: string) => new ObError(403, [{ ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Message }]);

/** Why the bank refuses a payment: a scenario switch, or (a domestic payment) funds that do not cover it. */
function refusalOf(spec: PaymentKindSpec, request: PaymentRequest, account: AccountRow, minor: bigint): 'insufficient-funds' | 'rejected' | undefined {
  const scenario = scenarioOf(spec.referenceOf(request.Data.Initiation));
  if (scenario === 'insufficient-funds' || scenario === 'rejected') return scenario;
  return spec.kind === 'domestic-payment' && minor > spendableMinor(account) ? 'insufficient-funds' : undefined;
}

function debtorOf(account: AccountRow): Record<string, unknown> {
  const name = (account.body['Account'] as Array<{ Name?: string }> | undefined)?.[0]?.Name;
  return { SchemeName: account.scheme_name, Identification: account.identification, ...(name !== undefined && { Name: name }) };
}

/**
 * Makes the payment the gateway's submission asks for, from the account the consent names, once
 * per consent: the account's row is locked first, so a second submission of the same consent
 * (a retry after a lost answer) finds the first payment and gets it back (`replayed`). A payment
 * the bank refuses is still made, in its failed status, with nothing posted.
 */
export async function makePayment(deps: { db: Knex; clock: Clock }, spec: PaymentKindSpec, identity: CallerIdentity, request: PaymentRequest): Promise<{ payment: PaymentRow; replayed: boolean }> {
  const consentId = identity.consentId;
  if (!identity.scopes?.includes('payments') || consentId === undefined) throw mismatch('The caller identity is not of a payment consent');
  if (request.Data.ConsentId !== consentId) throw badRequest('UK.OBIE.Resource.ConsentMismatch', 'Data.ConsentId is not the consent of the caller identity', 'Data.ConsentId');
  const debtorId = identity.accountIds?.[0];
  if (debtorId === undefined) throw mismatch('The payment consent names no account to pay from');
  const initiation = request.Data.Initiation;
  const amount = initiation[spec.amountField]!;
  const minor = toMinor(amount.Amount);
  const amountPath = `Data.Initiation.${spec.amountField}`;
  if (minor === undefined || minor === 0n) throw badRequest('UK.OBIE.Field.Invalid', `${amountPath}.Amount must be more than zero, in whole pence or cents`, `${amountPath}.Amount`);
  return deps.db.transaction(async (trx) => {
    const now = deps.clock.now();
    // Instructions that fell due before this payment are paid first, so that the ledger keeps its order.
    await executeDueInstructions(trx, { accountIds: [debtorId] }, now);
    const account = await lockAccount(trx, debtorId);
    if (!account) throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: 'The account to pay from is not held at this bank' }]);
    const earlier = await findPaymentByConsent(trx, consentId);
    if (earlier) return { payment: earlier, replayed: true };
    if (amount.Currency !== account.currency) throw badRequest('UK.OBIE.Unsupported.Currency', `The account to pay from holds ${account.currency}`, `${amountPath}.Currency`);
    const paymentId = `${spec.idPrefix}-${randomUUID().replaceAll('-', '')}`;
    const refusal = refusalOf(spec, request, account, minor);
    const posted = refusal
      ? { status: spec.kind === 'domestic-payment' ? 'Rejected' : 'InitiationFailed', transactionId: null }
      : await postPayment(trx, spec, account, { paymentId, initiation, minor, at: now });
    const settling = posted.status === 'AcceptedSettlementInProcess';
    const payment: PaymentRow = {
      payment_id: paymentId, kind: spec.kind, consent_id: consentId, account_id: account.account_id, status: posted.status, status_at: now, created_at: now,
      client_id: identity.clientId ?? null, transaction_id: posted.transactionId, refusal: refusal ?? null,
      next_execution_at: refusal ? null : instructedPaymentAt(spec.kind, initiation, 0, undefined) ?? null, executions: 0,
      body: {
        [spec.idField]: paymentId, ConsentId: consentId, CreationDateTime: now.toISOString(), Status: posted.status, StatusUpdateDateTime: now.toISOString(),
        ...(settling && { ExpectedExecutionDateTime: now.toISOString(), ExpectedSettlementDateTime: new Date(now.getTime() + SETTLEMENT_SECONDS * 1000).toISOString() }),
        Initiation: initiation, Debtor: debtorOf(account),
      },
    };
    await insertPayment(trx, payment);
    return { payment, replayed: false };
  });
}
