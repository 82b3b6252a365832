import type { Knex } from 'knex';

import type { AuditKind, AuditRecord, JsonValue } from './audit-entry.ts';

/** A row of `audit_log` as the driver gives it. */
export interface AuditRow {
  // bigint: a string from pg, a number from PGlite.
  seq: string | number;
  at: Date;
  kind: AuditKind;
  action: string;
  actor: string;
  api_id: string | null;
  route: string | null;
  application_id: string | null;
  client_id: string | null;
  customer_id: string | null;
  consent_id: string | null;
  status: number | null;
  payload: JsonValue;
  prev_hash: string;
  hash: string;
}

/** The last entry appended, as `audit_head` keeps it: seq 0 and the genesis hash before the first. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** A row as a record: camelCase, `seq` a number whichever driver read it. */
export function toRecord(row: AuditRow): AuditRecord {
  return {
    seq: Number(row.seq),
    at: row.at,
    kind: row.kind,
    action: row.action,
    actor: row.actor,
    apiId: row.api_id,
    route: row.route,
    applicationId: row.application_id,
    clientId: row.client_id,
    customerId: row.customer_id,
    consentId: row.consent_id,
    status: row.status,
    payload: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Serialises appends to the chain across every instance writing to this database (a
 * transaction-scoped advisory lock, one per schema), so that each batch extends the head the
 * previous one left.
 */
export async function lockAuditChain(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtext('portcullis.audit_log.' || current_schema()))`);
}

/** The head; undefined only if its row was removed, which takes DDL. */
export async function readAuditHead(db: Knex): Promise<AuditHead | undefined> {
  const row: { seq: string | number; hash: string } | undefined = await db('audit_head').first('seq', 'hash');
  return row && { seq: Number(row.seq), hash: row.hash };
}

// The batch goes as one JSON array of rows, which PostgreSQL reads into records: the statement is
// the same whatever the batch's size (neither built nor planned afresh), and V8 writes the whole
// batch in one JSON.stringify, where fifteen array parameters took the driver an array literal
// each, built up by string concatenation, and the query builder a walk over each.
const APPEND_RECORDS = `insert into audit_log (seq, at, kind, action, actor, api_id, route, application_id, client_id, customer_id, consent_id, status, payload, prev_hash, hash)
  select seq, at, kind, action, actor, api_id, route, application_id, client_id, customer_id, consent_id, status, payload, prev_hash, hash
  from json_to_recordset(?::json) as entry(seq bigint, at timestamptz, kind text, action text, actor text, api_id text, route text, application_id text,
    client_id text, customer_id text, consent_id text, status integer, payload jsonb, prev_hash text, hash text)`;

/** Appends `records` (consecutive, after the head) and moves the head to the last of them. */
export async function appendAuditRecords(trx: Knex.Transaction, records: readonly AuditRecord[]): Promise<void> {
  const rows = records.map((record) => ({
    seq: record.seq, at: record.at.toISOString(), kind: record.kind, action: record.action, actor: record.actor, api_id: record.apiId, route: record.route,
    application_id: record.applicationId, client_id: record.clientId, customer_id: record.customerId, consent_id: record.consentId, status: record.status,
    payload: record.payload, prev_hash: record.prevHash, hash: record.hash,
  }));
  await trx.raw(APPEND_RECORDS, [JSON.stringify(rows)]);
  const last = records.at(-1)!;
  await trx('audit_head').update({ seq: last.seq, hash: last.hash });
}

/** The hashes of the entries at these `seqs`, by seq; a seq with no entry is absent. */
export async function findAuditHashes(db: Knex, seqs: readonly number[]): Promise<Map<number, string>> {
  const rows: Array<{ seq: string | number; hash: string }> = await db('audit_log').select('seq', 'hash').whereIn('seq', [...seqs]);
  return new Map(rows.map((row) => [Number(row.seq), row.hash]));
}

/** Up to `limit` entries after `afterSeq`, in sequence order: one page of a walk along the chain. */
export async function listAuditRecordsAfter(db: Knex, afterSeq: number, limit: number): Promise<AuditRecord[]> {
  const rows: AuditRow[] = await db('audit_log').where('seq', '>', afterSeq).orderBy('seq').limit(limit);
  return rows.map(toRecord);
}
