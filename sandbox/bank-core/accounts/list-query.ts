import type { ParsedUrlQuery } from 'node:querystring';

import { badRequest } from '../../../src/openbanking/ob-error.ts';

/** The query parameters a list takes: a date range (transactions: booking dates; statements: statement dates) and a page. */
export interface ListQuery {
  from?: Date;
  to?: Date;
  page: number;
}

/*
 * Read/Write API v3.1.11, FromBookingDateTimeParam and its kin: "The UTC ISO 8601 Date Time …
 * Time component is optional - set to 00:00:00 for just Date. If the Date Time contains a
 * timezone, the ASPSP must ignore the timezone component."
 */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(?:Z|[+-]\d{2}:?\d{2})?$/;

function readDate(name: string, value: string): Date {
  const match = DATE_TIME.exec(value);
  const date = match ? new Date(`${match[1]}T${match[2] ?? '00:00:00'}Z`) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw badRequest('UK.OBIE.Field.InvalidDate', `${name} must be an ISO 8601 date or date-time, such as 2017-04-05T10:43:07`, name);
  return date;
}

/**
 * Reads a list's query against its allow-list (`range`: the names of its from and to parameters,
 * when it has them): an unknown or repeated parameter is refused, as is a page that is not a
 * positive whole number. The page's upper bound is checked once the list's length is known.
 */
export function readListQuery(query: ParsedUrlQuery, range?: readonly [from: string, to: string]): ListQuery {
  const allowed = new Set(['page', ...(range ?? [])]);
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(query)) {
    if (!allowed.has(name)) throw badRequest('UK.OBIE.Field.Unexpected', `${name} is not a query parameter of this resource`, name);
    if (typeof value !== 'string') throw badRequest('UK.OBIE.Field.Unexpected', `${name} must be given once`, name);
    values.set(name, value);
  }
  const page = values.get('page') ?? '1';
  if (!/^[1-9]\d{0,5}$/.test(page)) throw badRequest('UK.OBIE.Field.Invalid', 'page must be a whole number from 1', 'page');
  const from = range && values.has(range[0]) ? readDate(range[0], values.get(range[0])!) : undefined;
  const to = range && values.has(range[1]) ? readDate(range[1], values.get(range[1])!) : undefined;
  return { ...(from && { from }), ...(to && { to }), page: Number(page) };
}
