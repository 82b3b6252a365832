import { setImmediate as nextTurn } from 'node:timers/promises';

import type { Knex } from 'knex';

import type { AuditRecord } from './audit-entry.ts';
import type { AuditLog } from './audit-log.ts';
import { readAuditHead } from './audit-log.store.ts';
import { auditSearchParams, type AuditSearch } from './audit-search.schema.ts';
import { listAuditRecordsForExport } from './audit-search.store.ts';

/*
 * An export of audit entries that an auditor can check without Portcullis: JSON Lines, the first
 * line a header (what was selected, by whom, when, the chain's head then, and the recipe below),
 * then one entry a line with every field as stored and both hashes. Made a page at a time and
 * streamed, so that exporting millions of entries holds one page in memory.
 */

/** How to recompute an entry's hash, as the export's header states it (and the README). */
export const AUDIT_HASH_RECIPE: readonly string[] = [
  'Each line after this header is one audit entry.',
  'To check an entry: remove its "hash" and "prevHash" members; write what remains (seq, at, kind, action, actor, apiId, route, applicationId, clientId, customerId, consentId, status, payload) as RFC 8785 canonical JSON (JSON Canonicalization Scheme), in UTF-8; its "hash" must be the lowercase hex SHA-256 of the UTF-8 bytes of "prevHash" followed by that canonical JSON.',
  'To check the links: sorted by seq, an entry whose seq is one more than another\'s must carry that entry\'s "hash" as its "prevHash". The first entry of the chain (seq 1) has a prevHash of 64 zeros.',
  'An export of a whole time range without other filters holds consecutive entries; a filtered one holds entries of the chain with gaps between them, each still checkable on its own.',
  'The header\'s "head" is the chain\'s last entry when the export was made: compare it with a head noted elsewhere (an earlier export, `portcullis audit verify`).',
];

// Entries read per query: one page held at a time.
const EXPORT_PAGE_SIZE = 500;

/** An entry as an export line holds it: every field, instants in RFC 3339 with milliseconds. */
export function exportedAuditEntry(record: AuditRecord) {
  return {
    seq: record.seq, at: record.at.toISOString(), kind: record.kind, action: record.action, actor: record.actor,
    apiId: record.apiId, route: record.route, applicationId: record.applicationId, clientId: record.clientId,
    customerId: record.customerId, consentId: record.consentId, status: record.status, payload: record.payload,
    prevHash: record.prevHash, hash: record.hash,
  };
}

export interface AuditExportRequest {
  search: AuditSearch;
  /** Who asked: the actor the export's own audit entry names. */
  exportedBy: string;
  exportedAt: Date;
}

/**
 * The export of the entries `search` selects, oldest first, as JSON Lines, a page of lines per chunk.
 *
 * @example
 * ctx.body = Readable.from(exportAuditEntries(db, { search: { from, to }, exportedBy: 'operator:op-1', exportedAt: new Date() }));
 */
export async function* exportAuditEntries(db: Knex, request: AuditExportRequest): AsyncGenerator<string> {
  const head = await readAuditHead(db);
  yield `${JSON.stringify({
    format: 'portcullis-audit-export/1', exportedAt: request.exportedAt.toISOString(), exportedBy: request.exportedBy,
    selection: auditSearchParams(request.search), order: 'at, then seq, oldest first', head: head ?? null, recipe: AUDIT_HASH_RECIPE,
  })}\n`;
  let last: AuditRecord | undefined;
  for (;;) {
    const page = await listAuditRecordsForExport(db, request.search, EXPORT_PAGE_SIZE, last);
    if (page.length === 0) return;
    yield page.map((record) => `${JSON.stringify(exportedAuditEntry(record))}\n`).join('');
    last = page.at(-1);
    // PGlite answers in this thread without a turn of the event loop: let other work through.
    await nextTurn();
  }
}

/**
 * Records who exported what, before the export is made: an export that cannot be recorded is not
 * made (`AuditUnavailable`). `action` is the admin API's route, which the console's export stands for.
 */
export async function recordAuditExport(audit: Pick<AuditLog, 'recordRequired'>, actor: string, search: AuditSearch): Promise<void> {
  await audit.recordRequired({ kind: 'admin', action: 'GET /admin/v1/audit/export', actor, status: 200, payload: { selection: auditSearchParams(search) } });
}
