import type { Knex } from 'knex';

import type { ServiceContext } from '../events/service-context.ts';
import { CatalogueConflict, CatalogueNotFound } from '../gateway/catalogue/catalogue-errors.ts';
import { monthHasEnded, monthSpan, type BillingMonthSpan } from './billing-month.ts';
import { billingLineId, priceLine } from './billing-pricing.ts';
import type { BillingLine } from './billing.types.ts';
import { replaceLines, selectMonth, selectSubscribedUsage, writeMonth } from './billing.store.ts';

/*
 * A billing run: a month's lines, one per application and plan subscribed to in it, priced by the
 * plan (`billing-pricing.ts`). Running an open month replaces its draft lines; running a closed
 * one changes nothing and answers its lines as they were closed, so a run is idempotent and never
 * makes a second line. Closing runs the month one last time and freezes it, in one transaction:
 * only an ended month may be closed, and only once.
 */

/** Who runs or closes (`operator:<id>`, `admin-token`), recorded on the month. */
export interface BillingContext extends ServiceContext {
  actor: string;
}

async function draftLines(trx: Knex, span: BillingMonthSpan): Promise<Array<Omit<BillingLine, 'push'>>> {
  const usage = await selectSubscribedUsage(trx, span.start, span.end);
  return usage.map((row) => ({
    id: billingLineId(span.month, row.applicationId, row.planId), month: span.month,
    organisationId: row.organisationId, organisationName: row.organisationName, applicationId: row.applicationId, applicationName: row.applicationName,
    planId: row.planId, planName: row.planName, calls: row.calls, quotaPerMonth: row.quotaPerMonth, ...priceLine(row),
  }));
}

/** Runs the month (`YYYY-MM`); answers whether it is still open. Throws `CatalogueInvalid` for a month not started. */
export async function runBillingMonth(context: BillingContext, month: string): Promise<{ status: 'open' | 'closed' }> {
  const now = context.clock.now();
  const span = monthSpan(month, now);
  return context.db.transaction(async (trx) => {
    const existing = await selectMonth(trx, month, true);
    if (existing?.status === 'closed') return { status: 'closed' as const };
    // The row first: a new month's insert (its key) is what a second, concurrent run waits on.
    await writeMonth(trx, { month, status: 'open', run_at: now, run_by: context.actor, closed_at: null, closed_by: null });
    await replaceLines(trx, month, await draftLines(trx, span));
    return { status: 'open' as const };
  });
}

/** Closes a month that was run and has ended, after a last run. Throws `CatalogueNotFound` (never run) or `CatalogueConflict`. */
export async function closeBillingMonth(context: BillingContext, month: string): Promise<void> {
  const now = context.clock.now();
  const span = monthSpan(month, now);
  await context.db.transaction(async (trx) => {
    const existing = await selectMonth(trx, month, true);
    if (!existing) throw new CatalogueNotFound(`no billing month ${month}: it has not been run`);
    if (existing.status === 'closed') throw new CatalogueConflict(`month ${month} is closed already`);
    if (!monthHasEnded(span, now)) throw new CatalogueConflict(`month ${month} has not ended: it can be closed from ${span.end.toISOString()}`);
    await replaceLines(trx, month, await draftLines(trx, span));
    await writeMonth(trx, { ...existing, run_at: now, run_by: context.actor, status: 'closed', closed_at: now, closed_by: context.actor });
  });
}
