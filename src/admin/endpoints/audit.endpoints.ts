import { Readable } from 'node:stream';

import type { Knex } from 'knex';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';

import type { AuditLog } from '../../audit/audit-log.ts';
import { AuditUnavailable } from '../../audit/audit-unavailable.ts';
import { exportAuditEntries, exportedAuditEntry, recordAuditExport } from '../../audit/audit-export.ts';
import { AUDIT_SEARCH_FIELDS, type AuditSearch } from '../../audit/audit-search.schema.ts';
import { readAuditRecord, searchAuditRecords } from '../../audit/audit-search.store.ts';
import { verifyAuditChainPart } from '../../audit/audit-verification.ts';
import { issuePath } from '../../gateway/catalogue/catalogue.schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { Problem } from '../../shared/problem.ts';
import type { AdminApiDependencies } from '../admin-api.deps.ts';
import { encodeCursor, PAGE_LIMITS } from '../http/read-list-query.ts';

/*
 * `/admin/v1/audit/…`: the audit log searched newest first, an entry whole, the hash chain
 * verified (in parts of 100,000 entries on a long chain), and an export for an auditor (JSON
 * Lines with the hash recipe), which is itself audited before it is made. All only read.
 */

const seq = z.string().regex(/^[1-9]\d{0,15}$/, 'must be an entry\'s sequence number').transform(Number);
const cursor = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be a cursor from a previous page').transform((value) => Number(Buffer.from(value, 'base64url').toString('utf8')))
  .refine(Number.isSafeInteger, 'must be a cursor from a previous page');
const validRange = (search: AuditSearch) => !(search.from && search.to && search.from >= search.to);
const RANGE = { message: 'The time range must end after it starts', path: ['to'] };

const SEARCH_QUERY = z.strictObject({ ...AUDIT_SEARCH_FIELDS, limit: z.coerce.number().int().min(1).max(PAGE_LIMITS.max).default(PAGE_LIMITS.default), cursor: cursor.optional() }).refine(validRange, RANGE);
const EXPORT_QUERY = z.strictObject(AUDIT_SEARCH_FIELDS).refine(validRange, RANGE);
const VERIFY_QUERY = z.strictObject({ after: seq.optional() });

/** The query as `schema` reads it; 400 problem details naming each mistake otherwise (duplicates included). */
function readQuery<T extends z.ZodType>(ctx: Context, schema: T): z.output<T> {
  const parsed = schema.safeParse(ctx.query);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({ path: issuePath(issue.path) || 'query', message: issue.message }));
  throw new Problem(400, 'validation-failed', 'The query parameters are not valid', { extensions: { errors } });
}

export function searchAuditEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleSearchAudit(ctx) {
    const { limit, cursor: before, ...search } = readQuery(ctx, SEARCH_QUERY);
    const page = await searchAuditRecords(deps.catalogue.db, search, { limit, ...(before === undefined ? {} : { before }) });
    ctx.body = { items: page.items.map(exportedAuditEntry), nextCursor: page.next === null ? null : encodeCursor(String(page.next)) };
  }];
}

export function readAuditEntryEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleReadAuditEntry(ctx) {
    const parsed = seq.safeParse(ctx.params['seq']);
    const record = parsed.success ? await readAuditRecord(deps.catalogue.db, parsed.data) : undefined;
    if (!record) throw new Problem(404, 'not-found', `no audit entry ${ctx.params['seq']}`);
    ctx.body = exportedAuditEntry(record);
  }];
}

export function verifyAuditEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleVerifyAudit(ctx) {
    const { after } = readQuery(ctx, VERIFY_QUERY);
    const report = await verifyAuditChainPart(deps.catalogue.db, after);
    ctx.body = { ...report, after: after ?? null, next: report.complete ? null : report.head.seq };
  }];
}

/** Answers with the export as a streamed attachment, once its audit entry is written (503 if it cannot be). */
export async function answerAuditExport(ctx: Context, deps: { db: Knex; audit: AuditLog; clock: Clock }, actor: string, search: AuditSearch): Promise<void> {
  try {
    await recordAuditExport(deps.audit, actor, search);
  } catch (error) {
    if (!(error instanceof AuditUnavailable)) throw error;
    throw new Problem(503, 'unavailable', 'The export cannot be recorded just now, so it is not made', { cause: error, headers: { 'Retry-After': '5' } });
  }
  const exportedAt = deps.clock.now();
  ctx.type = 'application/jsonl; charset=utf-8';
  ctx.attachment(`portcullis-audit-${exportedAt.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}.jsonl`);
  ctx.body = Readable.from(exportAuditEntries(deps.db, { search, exportedBy: actor, exportedAt }));
}

export function exportAuditEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleExportAudit(ctx) {
    const search = readQuery(ctx, EXPORT_QUERY);
    await answerAuditExport(ctx, { db: deps.catalogue.db, audit: deps.audit, clock: deps.catalogue.clock }, ctx.state.adminCaller!.actor, search);
  }];
}
