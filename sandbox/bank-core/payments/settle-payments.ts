import type { Knex } from 'knex';

import type { Clock } from '../../../src/shared/clock.ts';
import { executeDueInstructions } from './execute-instructions.ts';
import { bookPending } from './ledger-postings.store.ts';
import { changePaymentStatus, findDueSettlements } from './payment.store.ts';

/** How long a domestic payment stays AcceptedSettlementInProcess before it is AcceptedSettlementCompleted. */
export const SETTLEMENT_SECONDS = 10;

/**
 * Settles the payments that are due, as if the scheme had answered: each becomes
 * AcceptedSettlementCompleted, and its pending debit is booked, at the moment it settled (made +
 * `SETTLEMENT_SECONDS`), not at the moment someone looked; and makes the payments of scheduled
 * payments and standing orders whose day has come. Worked out when a read needs it (the accounts'
 * or the payment's), so that no timer runs and a frozen clock freezes settlement too.
 */
export async function settleDuePayments(deps: { db: Knex; clock: Clock }, scope: { accountIds?: readonly string[]; paymentId?: string }): Promise<void> {
  const now = deps.clock.now();
  const madeBefore = new Date(now.getTime() - SETTLEMENT_SECONDS * 1000);
  await deps.db.transaction(async (trx) => {
    await executeDueInstructions(trx, scope, now);
    for (const payment of await findDueSettlements(trx, scope, madeBefore)) {
      const settledAt = new Date(payment.created_at.getTime() + SETTLEMENT_SECONDS * 1000);
      if (payment.transaction_id) await bookPending(trx, payment.transaction_id, settledAt);
      await changePaymentStatus(trx, payment.payment_id, 'AcceptedSettlementCompleted', settledAt);
    }
  });
}
