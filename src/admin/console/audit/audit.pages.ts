import type { Middleware } from 'koa';
import { z } from 'zod';

import { AUDIT_HASH_RECIPE } from '../../../audit/audit-export.ts';
import { AUDIT_SEARCH_FIELDS, auditSearchParams, type AuditSearch } from '../../../audit/audit-search.schema.ts';
import { readAuditLinkBefore, readAuditRecord, searchAuditRecords } from '../../../audit/audit-search.store.ts';
import { AUDIT_VERIFY_PART_ENTRIES, verifyAuditChainPart } from '../../../audit/audit-verification.ts';
import { answerAuditExport } from '../../endpoints/audit.endpoints.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { readConsoleQuery } from '../organisations/organisations.schema.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * Audit: the audit log searched newest first (by actor, kind, subjects and time), fifty entries a
 * page by keyset; an entry whole (who, what, before and after, captures, its hashes); the hash
 * chain verified from the page (a form that only reads: in parts of 100,000 entries, each one
 * request); and the selection exported for an auditor, recorded as the admin API's own export
 * (`GET /admin/v1/audit/export`) with the operator as the caller. Everything here only reads, so
 * the read right (every role) is enough; the export is audited all the same.
 */

const PAGE_SIZE = 50;
const seq = (words: string) => z.string(`Give ${words} once`).regex(/^[1-9]\d{0,15}$/, `There is no such ${words}`).transform(Number).optional();
const validRange = (search: AuditSearch) => !(search.from && search.to && search.from >= search.to);
const RANGE = { message: 'The time range must end after it starts', path: ['to'] };

const SEARCH_QUERY = z.object({ ...AUDIT_SEARCH_FIELDS, before: seq('page') }).refine(validRange, RANGE);
const EXPORT_QUERY = z.object(AUDIT_SEARCH_FIELDS).refine(validRange, RANGE);
const VERIFY_QUERY = z.object({ after: seq('part of the chain'), checked: z.string('Give the count once').regex(/^\d{1,16}$/).transform(Number).optional() });

/** `datetime-local` value (UTC) of an instant, for the form to show the range it searched. */
const localValue = (at: Date | undefined) => (at ? at.toISOString().slice(0, 16) : '');

/** `GET /console/audit[?actor&kind&apiId&applicationId&clientId&customerId&consentId&from&to][&before=seq]` */
export function showAuditLog(deps: ConsoleDependencies): Middleware {
  return async function showAuditLog(ctx) {
    const { before, ...search } = readConsoleQuery(ctx, SEARCH_QUERY);
    const page = await searchAuditRecords(deps.db, search, { limit: PAGE_SIZE, ...(before === undefined ? {} : { before }) });
    const params = auditSearchParams(search);
    const query = new URLSearchParams(params).toString();
    await renderConsolePage(ctx, deps.csrfSecret, 'audit', {
      section: 'audit', search, params, from: localValue(search.from), to: localValue(search.to), entries: page.items,
      searched: Object.keys(params).length > 0, paged: before !== undefined,
      firstPage: `/console/audit${query ? `?${query}` : ''}`,
      nextPage: page.next === null ? null : `/console/audit?${new URLSearchParams({ ...params, before: String(page.next) })}`,
      exportLink: `/console/audit/export${query ? `?${query}` : ''}`, recipe: AUDIT_HASH_RECIPE,
    });
  };
}

/** `GET /console/audit/entries/{seq}` */
export function showAuditEntry(deps: ConsoleDependencies): Middleware {
  return async function showAuditEntry(ctx) {
    const parsed = seq('entry').safeParse(ctx.params['seq']);
    const entry = parsed.success && parsed.data !== undefined ? await readAuditRecord(deps.db, parsed.data) : undefined;
    if (!entry) {
      ctx.throw(404, 'There is no such audit entry.');
      return;
    }
    const payload = entry.payload !== null && typeof entry.payload === 'object' && !Array.isArray(entry.payload) ? entry.payload : {};
    const json = (value: unknown) => JSON.stringify(value, null, 2);
    const hasNext = (await readAuditLinkBefore(deps.db, entry.seq + 2)).seq === entry.seq + 1;
    await renderConsolePage(ctx, deps.csrfSecret, 'audit-entry', { section: 'audit', entry, payload, json, hasNext });
  };
}

/** `GET /console/audit/verification[?after=seq&checked=n]`: a part of the chain verified, and the outcome. */
export function showAuditVerification(deps: ConsoleDependencies): Middleware {
  return async function showAuditVerification(ctx) {
    const { after, checked = 0 } = readConsoleQuery(ctx, VERIFY_QUERY);
    const started = performance.now();
    const report = await verifyAuditChainPart(deps.db, after);
    const total = checked + report.count;
    await renderConsolePage(ctx, deps.csrfSecret, 'audit-verification', {
      section: 'audit', report, after, total, partSize: AUDIT_VERIFY_PART_ENTRIES, seconds: ((performance.now() - started) / 1000).toFixed(1),
      continueLink: report.complete ? null : `/console/audit/verification?${new URLSearchParams({ after: String(report.head.seq), checked: String(total) })}`,
    });
  };
}

/** `GET /console/audit/export[?filters]`: JSON Lines for an auditor, recorded as the admin API's export. */
export function submitAuditExport(deps: ConsoleDependencies): Middleware {
  return async function submitAuditExport(ctx) {
    const search = readConsoleQuery(ctx, EXPORT_QUERY);
    await answerAuditExport(ctx, deps, `operator:${ctx.state.operator!.id}`, search);
  };
}
