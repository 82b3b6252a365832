/* Billing as the rest of the code sees it: months, their lines, and each line's push. */

export const BILLING_MONTH_STATUSES = ['open', 'closed'] as const;
export type BillingMonthStatus = (typeof BILLING_MONTH_STATUSES)[number];

/** A line's push to the payment provider: `pending` while a send is under way (or was cut short), then `sent` or `failed`. */
export type PushState = 'pending' | 'sent' | 'failed';

export interface BillingLine {
  /** Stable across runs of the month; the push's idempotency key. */
  id: string;
  month: string;
  organisationId: string;
  organisationName: string;
  applicationId: string;
  applicationName: string;
  planId: string;
  planName: string;
  /** Billable calls made under the plan in the month (`billing.store.ts` says which count). */
  calls: number;
  quotaPerMonth: number | null;
  amountMinorUnits: number;
  /** ISO 4217; null for a free plan. */
  currency: string | null;
  push: {
    state: PushState | null;
    provider: string | null;
    reference: string | null;
    error: string | null;
    attempts: number;
    at: Date | null;
  };
}

export interface BillingMonth {
  month: string;
  status: BillingMonthStatus;
  runAt: Date;
  runBy: string;
  closedAt: Date | null;
  closedBy: string | null;
  lineCount: number;
  totals: Array<{ currency: string; amountMinorUnits: number }>;
  /** How many of its lines are in each push state (`unpushed`: never tried). */
  pushes: Record<PushState | 'unpushed', number>;
}
