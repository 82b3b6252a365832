import { csvText } from '../shared/csv-text.ts';
import { formatMinorUnits } from './billing-pricing.ts';
import type { BillingLine } from './billing.types.ts';

/*
 * A month's lines as CSV (RFC 4180, formulas guarded: `src/shared/csv-text.ts`), for an
 * accountant's spreadsheet. Amounts are both minor units (exact) and written in the currency's
 * decimals, which is text (`12.50`), so that a spreadsheet keeps the currency's digits.
 */

const COLUMNS = ['month', 'organisation_id', 'organisation', 'application_id', 'application', 'plan_id', 'plan', 'calls', 'amount_minor_units', 'currency', 'amount', 'push_state'];

/** The lines as one CSV document, with a header row. */
export function billingLinesCsv(lines: readonly BillingLine[]): string {
  const rows = lines.map((line) => [
    line.month, line.organisationId, line.organisationName, line.applicationId, line.applicationName, line.planId, line.planName, line.calls,
    line.amountMinorUnits, line.currency, formatMinorUnits(line.amountMinorUnits, line.currency), line.push.state ?? 'unpushed',
  ]);
  return csvText([COLUMNS, ...rows]);
}
