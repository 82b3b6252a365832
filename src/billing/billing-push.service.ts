import { CatalogueConflict } from '../gateway/catalogue/catalogue-errors.ts';
import { monthBounds } from './billing-month.ts';
import { getBillingMonth } from './billing-months.service.ts';
import type { BillingContext } from './billing-run.service.ts';
import { markPushOutcome, markPushPending, selectCustomerIds } from './billing.store.ts';
import type { PaymentProvider } from './payment-provider.ts';

/*
 * Pushing a closed month to the payment provider, line by line. Each send is keyed by the line's
 * id and recorded around the call: `pending` before (so a crash mid-send leaves a line the next
 * push sends again, with the same key), then `sent` or `failed`. A push sends every line not yet
 * `sent`, so pushing again retries the failures and the interrupted, and never re-sends a sent
 * one; the provider's idempotency makes a resend of one it did take (a timeout after it billed)
 * harmless. Lines of no amount are not sent. Lines run one after another: a month has one line per
 * subscription, and a provider's rate limit is kinder to a steady stream.
 */

export interface PushOutcome {
  sent: number;
  failed: number;
  /** Lines sent before, or with no amount to send. */
  skipped: number;
}

/** Pushes the closed month's unsent lines through `provider`. Throws `CatalogueNotFound`, or `CatalogueConflict` for an open month. */
export async function pushBillingMonth(context: BillingContext, provider: PaymentProvider, month: string): Promise<PushOutcome> {
  const { status, lines } = await getBillingMonth(context.db, month);
  if (status !== 'closed') throw new CatalogueConflict(`month ${month} is open: close it before pushing it`);
  const customers = await selectCustomerIds(context.db, [...new Set(lines.map((line) => line.organisationId))]);
  const outcome: PushOutcome = { sent: 0, failed: 0, skipped: 0 };
  // Dated the month's last second: the provider puts the usage in the billing period it falls in.
  const lastSecond = new Date(monthBounds(month).end.getTime() - 1000);
  for (const line of lines) {
    if (line.push.state === 'sent' || line.amountMinorUnits === 0 || line.currency === null) {
      outcome.skipped += 1;
      continue;
    }
    const customerId = customers.get(line.organisationId);
    await markPushPending(context.db, line.id, provider.name, context.clock.now());
    if (provider.needsCustomer && !customerId) {
      await markPushOutcome(context.db, line.id, { state: 'failed', error: `${line.organisationName} has no customer id at ${provider.name}` }, context.clock.now());
      outcome.failed += 1;
      continue;
    }
    try {
      const { reference } = await provider.sendUsage({
        idempotencyKey: line.id, customerId: customerId ?? '', amountMinorUnits: line.amountMinorUnits, currency: line.currency, calls: line.calls, at: lastSecond,
      });
      await markPushOutcome(context.db, line.id, { state: 'sent', reference }, context.clock.now());
      outcome.sent += 1;
    } catch (error) {
      await markPushOutcome(context.db, line.id, { state: 'failed', error: (error as Error).message.slice(0, 500) }, context.clock.now());
      outcome.failed += 1;
    }
  }
  return outcome;
}
