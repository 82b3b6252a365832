import { hash } from 'node:crypto';

/*
 * How a month's usage of a plan is priced. A plan has one price, `priceMinorUnits` a month in its
 * `currency`, and no per-call price: a line is the plan's whole monthly price, for every month the
 * subscription was active in, however few calls it made and however late in the month it began.
 * Not prorated, on purpose: a subscription keeps only its latest status change, so the days of a
 * month it was active cannot be told for one since cancelled, and a whole-month price is the one
 * the portal shows developers ("99.00 GBP a month"). Calls are counted on the line for the
 * customer's information and the plan's monthly quota, which the gateway enforces; there is no
 * overage, since plans have no price for it.
 */

/** What a line is priced from: the plan as it is when the month is run. */
export interface PlanPrice {
  priceMinorUnits: number | null;
  currency: string | null;
}

/** The line's amount: the monthly price, or nothing (a free plan, with no currency). */
export function priceLine(plan: PlanPrice): { amountMinorUnits: number; currency: string | null } {
  if (plan.priceMinorUnits === null || plan.priceMinorUnits === 0 || plan.currency === null) return { amountMinorUnits: 0, currency: plan.currency };
  return { amountMinorUnits: plan.priceMinorUnits, currency: plan.currency };
}

/**
 * The line's id, the same whenever the month is run: the push's idempotency key and the payment
 * provider's event identifier are made from it, so that a line sent twice is billed once.
 */
export function billingLineId(month: string, applicationId: string, planId: string): string {
  return `bl_${month}_${hash('sha256', JSON.stringify([applicationId, planId]), 'hex').slice(0, 32)}`;
}

/** Totals of lines, one per currency (free lines, without one, add nothing). */
export function totalsByCurrency(lines: ReadonlyArray<{ amountMinorUnits: number; currency: string | null }>): Array<{ currency: string; amountMinorUnits: number }> {
  const totals = new Map<string, number>();
  for (const line of lines) if (line.currency) totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.amountMinorUnits);
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountMinorUnits]) => ({ currency, amountMinorUnits }));
}

/** Minor units as the currency writes them (`9900` GBP is `99.00`), by its ISO 4217 exponent. */
export function formatMinorUnits(amountMinorUnits: number, currency: string | null): string {
  const digits = currency ? new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2 : 2;
  return (amountMinorUnits / 10 ** digits).toFixed(digits);
}
