import type { Knex } from 'knex';

import type { AuditRecord } from './audit-entry.ts';
import { toRecord, type AuditHead, type AuditRow } from './audit-log.store.ts';
import { GENESIS_HASH } from './audit-hash.ts';
import type { AuditSearch } from './audit-search.schema.ts';

/*
 * Reads of the audit log for the console and the admin API: a search newest first, an entry by its
 * seq, and a selection oldest first for export. Every list is paged by keyset on `(at, seq)`, which
 * the search indexes order by (migration 20261209050000), so that the millionth page costs what the
 * first does.
 */

const SUBJECT_COLUMNS = { actor: 'actor', kind: 'kind', apiId: 'api_id', applicationId: 'application_id', clientId: 'client_id', customerId: 'customer_id', consentId: 'consent_id' } as const;

function applySearch(query: Knex.QueryBuilder, search: AuditSearch): Knex.QueryBuilder {
  for (const [field, column] of Object.entries(SUBJECT_COLUMNS)) {
    const value = search[field as keyof typeof SUBJECT_COLUMNS];
    if (value !== undefined) query.where(column, value);
  }
  if (search.from) query.where('at', '>=', search.from);
  if (search.to) query.where('at', '<', search.to);
  return query;
}

/** Where the entry `seq` sits in `(at, seq)` order; undefined when there is no such entry. */
async function keyOf(db: Knex, seq: number): Promise<[Date, number] | undefined> {
  const row: { at: Date } | undefined = await db('audit_log').where({ seq }).first('at');
  return row && [row.at, seq];
}

export interface AuditPage {
  items: AuditRecord[];
  /** The seq of the last entry, to ask for the next page by; null on the last page. */
  next: number | null;
}

/** A page of the entries matching `search`, newest first, after the entry `before` (a previous page's `next`). */
export async function searchAuditRecords(db: Knex, search: AuditSearch, page: { limit: number; before?: number }): Promise<AuditPage> {
  const query = applySearch(db('audit_log'), search);
  if (page.before !== undefined) {
    const key = await keyOf(db, page.before);
    if (!key) return { items: [], next: null };
    query.whereRaw('(at, seq) < (?, ?)', key);
  }
  const rows: AuditRow[] = await query.orderBy([{ column: 'at', order: 'desc' }, { column: 'seq', order: 'desc' }]).limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map(toRecord);
  return { items, next: rows.length > page.limit ? items.at(-1)!.seq : null };
}

/** Up to `limit` entries matching `search`, oldest first, after `after` (the last one of the page before): a page of an export. */
export async function listAuditRecordsForExport(db: Knex, search: AuditSearch, limit: number, after?: AuditRecord): Promise<AuditRecord[]> {
  const query = applySearch(db('audit_log'), search);
  if (after) query.whereRaw('(at, seq) > (?, ?)', [after.at, after.seq]);
  const rows: AuditRow[] = await query.orderBy([{ column: 'at', order: 'asc' }, { column: 'seq', order: 'asc' }]).limit(limit);
  return rows.map(toRecord);
}

/** The entry `seq`, or undefined. */
export async function readAuditRecord(db: Knex, seq: number): Promise<AuditRecord | undefined> {
  const row: AuditRow | undefined = await db('audit_log').where({ seq }).first();
  return row && toRecord(row);
}

/** The entry a walk going on from `seq` links to: the last one before it (the genesis when none). */
export async function readAuditLinkBefore(db: Knex, seq: number): Promise<AuditHead> {
  const row: { seq: string | number; hash: string } | undefined = await db('audit_log').where('seq', '<', seq).orderBy('seq', 'desc').first('seq', 'hash');
  return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
}
