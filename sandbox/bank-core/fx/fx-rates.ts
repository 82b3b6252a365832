import { createHash } from 'node:crypto';

/*
 * The sandbox bank's exchange rates: a fixed table of mid-market rates against the pound, moved by
 * a small wobble that depends only on the day, so that the rates change from one day to the next
 * as a developer would expect, yet the same day always gives the same figures (on every machine,
 * and in tests with a fixed clock). Sandbox figures, not market data. Any currency of the table
 * can be the base: cross rates go through the pound.
 */

/** Units of each currency one pound buys, mid-market (ISO 4217 codes). */
const POUND_MID_RATES = {
  GBP: 1,
  EUR: 1.1712,
  USD: 1.3405,
  JPY: 198.42,
  CHF: 1.0712,
  CAD: 1.853,
  AUD: 2.048,
  NZD: 2.291,
  SEK: 12.736,
  NOK: 13.482,
  DKK: 8.739,
  PLN: 4.968,
} as const;

export type FxCurrency = keyof typeof POUND_MID_RATES;

/** Every currency quoted, in the table's order; each may be a base. */
export const FX_CURRENCIES = Object.keys(POUND_MID_RATES) as FxCurrency[];

/** The base when a caller names none. */
export const DEFAULT_BASE: FxCurrency = 'GBP';

export const isFxCurrency = (code: string): code is FxCurrency => Object.hasOwn(POUND_MID_RATES, code);

// At most ±0.25% a day either side of the table's rate.
const MAX_WOBBLE = 0.0025;
// Rates are quoted to six significant figures, as mid rates usually are.
const SIGNIFICANT_FIGURES = 6;

/** `day`'s factor for `currency`, in [1 - MAX_WOBBLE, 1 + MAX_WOBBLE], from a hash of the two. */
function wobble(day: string, currency: FxCurrency): number {
  if (currency === 'GBP') return 1;
  const draw = createHash('sha256').update(`${day} ${currency}`).digest().readUInt16BE(0) / 0xffff;
  return 1 + (2 * draw - 1) * MAX_WOBBLE;
}

const poundRate = (currency: FxCurrency, day: string) => POUND_MID_RATES[currency] * wobble(day, currency);

/** The UTC day of `at`, as the rates are dated: `2026-09-01`. */
export const rateDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * The mid rate on `day` (`YYYY-MM-DD`): units of `currency` one unit of `base` buys.
 *
 * @example
 * ```ts
 * midRate('GBP', 'EUR', '2026-09-01'); // 1.17…, within a quarter of a percent of 1.1712
 * ```
 */
export function midRate(base: FxCurrency, currency: FxCurrency, day: string): number {
  if (base === currency) return 1;
  return Number((poundRate(currency, day) / poundRate(base, day)).toPrecision(SIGNIFICANT_FIGURES));
}

/** Every other currency's mid rate against `base` on `day`, in the table's order. */
export function midRates(base: FxCurrency, day: string): Partial<Record<FxCurrency, number>> {
  return Object.fromEntries(FX_CURRENCIES.filter((currency) => currency !== base).map((currency) => [currency, midRate(base, currency, day)]));
}
