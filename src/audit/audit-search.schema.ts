import { z } from 'zod';

import { AUDIT_KINDS } from './audit-entry.ts';

/*
 * What the audit log can be searched by, for the console's form and the admin API's query alike:
 * who (the actor as recorded: `operator:<id>`, `admin-token`, a partner's client id, an event's
 * actor), the kind, the subjects an entry names, and a time range (from inclusive, to exclusive).
 * An instant without a zone (what a `datetime-local` field sends) is read as UTC.
 */

const text = (words: string) => z.string(`Give ${words} once`).trim().max(200, `Give ${words} in at most 200 characters`).optional().transform((value) => value || undefined);

const instant = (words: string) => z.string(`Give ${words} once`).trim().optional().transform((value, ctx) => {
  if (!value) return undefined;
  const zoned = /(Z|[+-]\d\d:\d\d)$/i.test(value) ? value : `${value}Z`;
  const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)$/i.test(zoned) ? new Date(zoned) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    ctx.addIssue({ code: 'custom', message: `Give ${words} as a date and time, such as 2026-12-06T09:30 (UTC)` });
    return z.NEVER;
  }
  return at;
});

/** The filters, each optional; unknown parameters are left to the caller's own schema. */
export const AUDIT_SEARCH_FIELDS = {
  actor: text('the actor'),
  kind: z.preprocess((value) => (value === '' ? undefined : value), z.enum(AUDIT_KINDS, 'Choose a kind of call, admin or event').optional()),
  apiId: text('the API'),
  applicationId: text('the application'),
  clientId: text('the client'),
  customerId: text('the customer'),
  consentId: text('the consent'),
  from: instant('the start of the time range'),
  to: instant('the end of the time range'),
};

export const AUDIT_SEARCH = z.object(AUDIT_SEARCH_FIELDS).refine((search) => !(search.from && search.to && search.from >= search.to), { message: 'The time range must end after it starts', path: ['to'] });

/** A search of the audit log: only the filters given apply. */
export type AuditSearch = z.output<typeof AUDIT_SEARCH>;

/** The search as query parameters (instants in RFC 3339), for links to further pages and exports. */
export function auditSearchParams(search: AuditSearch): Record<string, string> {
  return Object.fromEntries(Object.entries(search).filter(([, value]) => value !== undefined).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : String(value)]));
}
