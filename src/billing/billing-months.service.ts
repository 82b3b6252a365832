import type { Knex } from 'knex';

import { CatalogueNotFound } from '../gateway/catalogue/catalogue-errors.ts';
import { totalsByCurrency } from './billing-pricing.ts';
import type { BillingLine, BillingMonth } from './billing.types.ts';
import { selectLines, selectMonth, selectMonths, type BillingMonthRow } from './billing.store.ts';

/* Reading billing months: each with its totals per currency and its lines' push states. */

function summarise(row: BillingMonthRow, lines: readonly BillingLine[]): BillingMonth {
  const pushes = { unpushed: 0, pending: 0, sent: 0, failed: 0 };
  for (const line of lines) pushes[line.push.state ?? 'unpushed'] += 1;
  return {
    month: row.month, status: row.status, runAt: new Date(row.run_at), runBy: row.run_by, closedAt: row.closed_at && new Date(row.closed_at), closedBy: row.closed_by,
    lineCount: lines.length, totals: totalsByCurrency(lines), pushes,
  };
}

/** Every month run, newest first. */
export async function listBillingMonths(db: Knex): Promise<BillingMonth[]> {
  const months = await selectMonths(db);
  const lines = await selectLines(db, months.map((row) => row.month));
  return months.map((row) => summarise(row, lines.filter((line) => line.month === row.month)));
}

/** The month and its lines; throws `CatalogueNotFound` for a month never run. */
export async function getBillingMonth(db: Knex, month: string): Promise<BillingMonth & { lines: BillingLine[] }> {
  const row = await selectMonth(db, month);
  if (!row) throw new CatalogueNotFound(`no billing month ${month}: it has not been run`);
  const lines = await selectLines(db, [month]);
  return { ...summarise(row, lines), lines };
}

/** The month without its lines (totals, push states): what the audit log records of a run, close or push. */
export async function getBillingMonthSummary(db: Knex, month: string): Promise<BillingMonth> {
  const row = await selectMonth(db, month);
  if (!row) throw new CatalogueNotFound(`no billing month ${month}: it has not been run`);
  return summarise(row, await selectLines(db, [month]));
}
