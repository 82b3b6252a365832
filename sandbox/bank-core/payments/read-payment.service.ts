import type { Knex } from 'knex';

import type { CallerIdentity } from '../../../src/gateway/upstream/caller-identity.ts';
import { ObError } from '../../../src/openbanking/ob-error.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import type { PaymentKindSpec } from './payment-kinds.ts';
import { findPayment, type PaymentRow } from './payment.store.ts';
import { settleDuePayments } from './settle-payments.ts';

/**
 * A payment of this kind made for this partner (the gateway checks the same; another partner's
 * payment is as missing as one that never was), settled first if it is due.
 */
export async function readPayment(deps: { db: Knex; clock: Clock }, spec: PaymentKindSpec, identity: CallerIdentity, paymentId: string): Promise<PaymentRow> {
  if (!identity.scopes?.includes('payments')) throw new ObError(403, [{ ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Message: 'The caller identity does not carry the payments scope' }]);
  await settleDuePayments(deps, { paymentId });
  const payment = await findPayment(deps.db, paymentId);
  if (!payment || payment.kind !== spec.kind || payment.client_id !== identity.clientId) {
    throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: `No payment ${paymentId} exists for this client` }]);
  }
  return payment;
}
