import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import type { CallerIdentity } from '../../../src/gateway/upstream/caller-identity.ts';
import { badRequest, ObError } from '../../../src/openbanking/ob-error.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import { spendableMinor } from '../accounts/balances.ts';
import { findAccounts } from '../accounts/ledger-reads.store.ts';
import { toMinor } from '../money.ts';
import { scenarioOf } from '../scenario-switches.ts';

/** OBFundsConfirmation1, once validated. */
export interface FundsConfirmationRequest {
  Data: { ConsentId: string; Reference: string; InstructedAmount: { Amount: string; Currency: string } };
}

const mismatch = (Message: string) => new ObError(403, [{ ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Message }]);

/**
 * A card-based payment instrument issuer's question: would the account the consent names cover
 * this amount now? Yes when its available balance and credit line together do (unless the
 * reference switches on insufficient funds). Nothing is reserved, and nothing is kept.
 */
export async function confirmFunds(deps: { db: Knex; clock: Clock }, identity: CallerIdentity, request: FundsConfirmationRequest): Promise<Record<string, unknown>> {
  const consentId = identity.consentId;
  if (!identity.scopes?.includes('fundsconfirmations') || consentId === undefined) throw mismatch('The caller identity is not of a funds confirmation consent');
  if (request.Data.ConsentId !== consentId) throw badRequest('UK.OBIE.Resource.ConsentMismatch', 'Data.ConsentId is not the consent of the caller identity', 'Data.ConsentId');
  const accountId = identity.accountIds?.[0];
  if (accountId === undefined) throw mismatch('The funds confirmation consent names no account');
  const { InstructedAmount: amount, Reference } = request.Data;
  const minor = toMinor(amount.Amount);
  if (minor === undefined) throw badRequest('UK.OBIE.Field.Invalid', 'Data.InstructedAmount.Amount must be in whole pence or cents', 'Data.InstructedAmount.Amount');
  const [account] = await findAccounts(deps.db, [accountId]);
  if (!account) throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: 'The account of the consent is not held at this bank' }]);
  if (amount.Currency !== account.currency) throw badRequest('UK.OBIE.Unsupported.Currency', `The account holds ${account.currency}`, 'Data.InstructedAmount.Currency');
  return {
    FundsConfirmationId: randomUUID(), ConsentId: consentId, CreationDateTime: deps.clock.now().toISOString(),
    FundsAvailable: scenarioOf(Reference) !== 'insufficient-funds' && minor <= spendableMinor(account), Reference, InstructedAmount: amount,
  };
}
