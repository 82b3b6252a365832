import { CatalogueInvalid } from '../gateway/catalogue/catalogue-errors.ts';

/*
 * A billing month is a calendar month in UTC, written `YYYY-MM` (the form of an HTML month input).
 * It covers [first instant, first instant of the next month): the rollups' minutes from its first
 * to its last.
 */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether `text` is a month written `YYYY-MM`. */
export const isWrittenMonth = (text: string) => MONTH.test(text);

export interface BillingMonthSpan {
  /** `YYYY-MM` */
  month: string;
  start: Date;
  /** The next month's first instant (excluded). */
  end: Date;
}

/** The month's span; throws `CatalogueInvalid` for a month written otherwise than `YYYY-MM`. */
export function monthBounds(month: string): BillingMonthSpan {
  const parts = MONTH.exec(month);
  if (!parts) throw new CatalogueInvalid([{ path: 'month', message: 'must be a month written YYYY-MM' }]);
  return { month, start: new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, 1)), end: new Date(Date.UTC(Number(parts[1]), Number(parts[2]), 1)) };
}

/**
 * The span of a month that can be billed: written `YYYY-MM` and started by `now` (there is nothing
 * to bill in one to come); throws `CatalogueInvalid` otherwise.
 *
 * @example
 * monthSpan('2026-11', now) // { month: '2026-11', start: 2026-11-01T00:00Z, end: 2026-12-01T00:00Z }
 */
export function monthSpan(month: string, now: Date): BillingMonthSpan {
  const span = monthBounds(month);
  if (span.start.getTime() > now.getTime()) throw new CatalogueInvalid([{ path: 'month', message: 'has not started yet' }]);
  return span;
}

/** Whether the month is over by `now`: only an ended month may be closed. */
export const monthHasEnded = (span: BillingMonthSpan, now: Date) => span.end.getTime() <= now.getTime();
