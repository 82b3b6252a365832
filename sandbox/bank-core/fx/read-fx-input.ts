import type { ParsedUrlQuery } from 'node:querystring';

import { Problem } from '../../../src/shared/problem.ts';
import { DEFAULT_BASE, FX_CURRENCIES, isFxCurrency, type FxCurrency } from './fx-rates.ts';

/*
 * The edge of the exchange rates API: its one query parameter and its one path parameter, read
 * into table currencies before the rates are looked up. A code that is not three capital letters
 * (ISO 4217's form) is malformed, 400; a well-formed code the table lacks is 404 as the resource
 * of a path (`/rates/XYZ`, RFC 9110 §15.5.5) and 400 as a query's `base`, whose resource exists.
 */

const ISO_4217 = /^[A-Z]{3}$/;
const QUERY_PARAMETERS = new Set(['base']);
const OFFERED = FX_CURRENCIES.join(', ');

const malformed = (name: string, value: string) =>
  new Problem(400, 'bad-request', `${name} must be an ISO 4217 currency code: three capital letters such as EUR, not ${JSON.stringify(value.slice(0, 20))}`);

/** The base the query asks for (GBP when none); refuses unknown or repeated parameters. */
export function readBase(query: ParsedUrlQuery): FxCurrency {
  for (const [name, value] of Object.entries(query)) {
    if (!QUERY_PARAMETERS.has(name)) throw new Problem(400, 'bad-request', `${name} is not a query parameter of this API; it takes base only`);
    if (typeof value !== 'string') throw new Problem(400, 'bad-request', `${name} must be given once`);
  }
  const base = query['base'] as string | undefined;
  if (base === undefined) return DEFAULT_BASE;
  if (!ISO_4217.test(base)) throw malformed('base', base);
  if (!isFxCurrency(base)) throw new Problem(400, 'bad-request', `${base} is not offered as a base; choose one of ${OFFERED}`);
  return base;
}

/** The currency a path names (`/rates/{currency}`). */
export function readCurrency(currency: string): FxCurrency {
  if (!ISO_4217.test(currency)) throw malformed('currency', currency);
  if (!isFxCurrency(currency)) throw new Problem(404, 'not-found', `${currency} is not quoted; the currencies are ${OFFERED}`);
  return currency;
}
