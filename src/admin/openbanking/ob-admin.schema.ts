import { z } from 'zod';

import { CONSENT_KINDS, type ConsentKind } from '../../consent/consent-kinds.ts';
import type { ConsentSearch } from '../../consent/consent-search.store.ts';
import type { ConsentStatus } from '../../consent/consent-status.ts';

/*
 * The consent search's filters, as the admin API's query and the console's form give them (an
 * empty form field is no filter), with the words each mistake is shown in. Dates are days
 * (`YYYY-MM-DD`, UTC), both ends included.
 */

export const CONSENT_KIND_NAMES = Object.keys(CONSENT_KINDS) as [ConsentKind, ...ConsentKind[]];
export const CONSENT_STATUSES: [ConsentStatus, ...ConsentStatus[]] = ['AwaitingAuthorisation', 'Authorised', 'Rejected', 'Revoked', 'Consumed'];

const blankIsAbsent = (value: unknown) => (value === '' ? undefined : value);
const day = (words: string) => z.preprocess(blankIsAbsent, z.string().regex(/^\d{4}-\d\d-\d\d$/, `Give ${words} as a date like 2026-12-31`)
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), `Give ${words} as a real date`).optional());
const text = (words: string) => z.preprocess(blankIsAbsent, z.string().trim().max(200, `Give ${words} of at most 200 characters`).optional());

export const CONSENT_SEARCH_FILTERS = z.object({
  customer: text('a customer'),
  clientId: text('a partner'),
  kind: z.preprocess(blankIsAbsent, z.enum(CONSENT_KIND_NAMES, `Choose a kind: ${CONSENT_KIND_NAMES.join(', ')}`).optional()),
  status: z.preprocess(blankIsAbsent, z.enum(CONSENT_STATUSES, `Choose a status: ${CONSENT_STATUSES.join(', ')}`).optional()),
  createdFrom: day('the first day'),
  createdTo: day('the last day'),
}).refine((filters) => !filters.createdFrom || !filters.createdTo || filters.createdFrom <= filters.createdTo, { message: 'The last day must not be before the first', path: ['createdTo'] });

type ConsentSearchFilters = z.output<typeof CONSENT_SEARCH_FILTERS>;

/** The store's search for the filters: the last day runs to its end. */
export function consentSearchOf(filters: ConsentSearchFilters): ConsentSearch {
  const search: ConsentSearch = {};
  if (filters.customer) search.customer = filters.customer;
  if (filters.clientId) search.clientId = filters.clientId;
  if (filters.kind) search.kind = filters.kind;
  if (filters.status) search.status = filters.status;
  if (filters.createdFrom) search.createdFrom = new Date(`${filters.createdFrom}T00:00:00Z`);
  if (filters.createdTo) search.createdBefore = new Date(new Date(`${filters.createdTo}T00:00:00Z`).getTime() + 86_400_000);
  return search;
}
