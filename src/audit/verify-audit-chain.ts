import { setImmediate as nextTurn } from 'node:timers/promises';

import type { Knex } from 'knex';

import type { AuditRecord } from './audit-entry.ts';
import { GENESIS_HASH, hashAuditEntry } from './audit-hash.ts';
import { listAuditRecordsAfter, readAuditHead, type AuditHead } from './audit-log.store.ts';
import { readAuditLinkBefore } from './audit-search.store.ts';

/*
 * Walks the audit chain in sequence order, a page at a time, inside one read-only REPEATABLE READ
 * transaction: the rows and the head are read as of one instant, so appends made meanwhile by
 * running instances are neither half-seen nor mistaken for tampering.
 *
 * What it can tell, and what it cannot. Someone who edits rows without recomputing hashes is
 * caught at the row (`changed`). Someone who recomputes them is caught where their rewrite meets
 * the untouched chain (`broken_link`) or the head (`audit_head`). Rows removed from the middle
 * leave a gap (`removed`); removed from the tail, they leave the chain short of the head
 * (`removed`), which can only be put back with DDL. Rows added past the head are `inserted`.
 * But whoever may rewrite both tables with DDL (a DBA) can recompute the whole chain and the
 * head: that is caught only by comparing the head hash this prints with one noted outside the
 * database earlier (an earlier run's output, a log), where a rewrite cannot reach it.
 */

// Problems kept in the report; the rest are only counted, so that a rewritten chain of millions
// of rows does not take millions of objects to describe.
const MAX_LISTED_PROBLEMS = 1000;

/**
 * `changed`: an entry's hash is not the hash of its contents. `removed`: sequence numbers are
 * missing, in the middle or at the tail. `inserted`: an entry out of sequence, or past the head.
 * `broken_link`: an entry whose `prev_hash` is not the hash of the one before it (or a head that
 * does not match the last entry): something between them was removed, inserted or replaced, and
 * the chain rewritten after it.
 */
export type AuditProblemKind = 'changed' | 'removed' | 'inserted' | 'broken_link';

export interface AuditProblem {
  kind: AuditProblemKind;
  /** The entry where it shows (for `removed`, the first missing one). */
  seq: number;
  message: string;
}

export interface AuditChainReport {
  /** Entries walked. */
  count: number;
  /** The last entry's seq and hash (seq 0 and the genesis hash when there is none): worth noting outside the database. */
  head: AuditHead;
  /** The problems found, in chain order: the first 1000. */
  problems: AuditProblem[];
  /** Every problem found, listed or not. */
  problemCount: number;
  /** False when `maxEntries` stopped the walk before the end: the head was not checked, and the walk goes on `after` `head.seq`. */
  complete: boolean;
}

export interface AuditChainWalk {
  /** Entries read per query (1000). */
  pageSize?: number;
  /** Go on from a walk that stopped after this seq, linking to the entry stored there: a walk in parts, each its own snapshot. */
  after?: number;
  /** Stop (at a page's end) once this many entries were walked, leaving the rest to a walk `after` the last; the whole chain when absent. */
  maxEntries?: number;
}

function checkEntry(record: AuditRecord, previous: AuditHead): AuditProblem[] {
  const problems: AuditProblem[] = [];
  const expected = previous.seq + 1;
  if (record.seq > expected) {
    problems.push({ kind: 'removed', seq: expected, message: record.seq - 1 === expected ? `entry ${expected} is missing` : `entries ${expected} to ${record.seq - 1} are missing` });
  } else if (record.seq < expected) {
    problems.push({ kind: 'inserted', seq: record.seq, message: `entry ${record.seq} is out of sequence after ${previous.seq}` });
  } else if (record.prevHash !== previous.hash) {
    problems.push({ kind: 'broken_link', seq: record.seq, message: `entry ${record.seq} does not link to entry ${previous.seq}: an entry between them was removed, inserted or replaced` });
  }
  if (hashAuditEntry(record.prevHash, record.seq, record) !== record.hash) {
    problems.push({ kind: 'changed', seq: record.seq, message: `entry ${record.seq} was changed: its hash does not match its contents` });
  }
  return problems;
}

function checkHead(last: AuditHead, head: AuditHead | undefined): AuditProblem[] {
  if (!head) return [{ kind: 'removed', seq: last.seq + 1, message: 'the chain head (audit_head) is missing: rows at the tail may have been removed' }];
  if (last.seq < head.seq) {
    const first = last.seq + 1;
    return [{ kind: 'removed', seq: first, message: first === head.seq ? `entry ${first}, the last one appended, is missing` : `entries ${first} to ${head.seq}, the last ones appended, are missing` }];
  }
  if (last.seq > head.seq) {
    return [{ kind: 'inserted', seq: head.seq + 1, message: `entries ${head.seq + 1} to ${last.seq} lie past the head (entry ${head.seq}): they were not appended by the audit log` }];
  }
  if (last.hash !== head.hash) return [{ kind: 'broken_link', seq: last.seq, message: `entry ${last.seq} is not the entry the head records: the chain was rewritten up to the end` }];
  return [];
}

/**
 * Checks the whole audit chain and reports every problem found; an empty `problems` means the
 * chain is whole, from the first entry to the head. Given a transaction, it reads within that
 * transaction (and its snapshot) instead of opening its own. A long chain can be walked in parts
 * (`maxEntries`, then `after` the last part's head), each short enough for one request; a part
 * sees its own snapshot, and only the last one checks the head.
 *
 * @example
 * const report = await verifyAuditChain(db);
 * if (report.problemCount === 0) console.log(`OK: ${report.count} entries, head ${report.head.hash}`);
 */
export async function verifyAuditChain(db: Knex, options: AuditChainWalk = {}): Promise<AuditChainReport> {
  const pageSize = options.pageSize ?? 1000;
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
  const walk = async (trx: Knex): Promise<AuditChainReport> => {
    const head = await readAuditHead(trx);
    const problems: AuditProblem[] = [];
    let problemCount = 0;
    const note = (found: AuditProblem[]) => {
      problemCount += found.length;
      problems.push(...found.slice(0, MAX_LISTED_PROBLEMS - problems.length));
    };
    let last: AuditHead = options.after === undefined ? { seq: 0, hash: GENESIS_HASH } : await readAuditLinkBefore(trx, options.after + 1);
    let count = 0;
    // Where the next page starts: below any seq, so that a row forged with seq 0 or less is seen too.
    let cursor = options.after ?? Number.MIN_SAFE_INTEGER;
    for (let page = await listAuditRecordsAfter(trx, cursor, pageSize); page.length > 0; page = await listAuditRecordsAfter(trx, cursor, pageSize)) {
      for (const record of page) {
        note(checkEntry(record, last));
        // An entry out of sequence is no link of the chain: the next one must follow the one before it.
        if (record.seq > last.seq) last = { seq: record.seq, hash: record.hash };
        cursor = record.seq;
        count += 1;
      }
      if (count >= maxEntries) return { count, head: last, problems, problemCount, complete: false };
      // PGlite answers in this thread without a turn of the event loop: let other work through.
      await nextTurn();
    }
    note(checkHead(last, head));
    return { count, head: last, problems, problemCount, complete: true };
  };
  return db.isTransaction ? walk(db) : db.transaction(walk, { isolationLevel: 'repeatable read', readOnly: true });
}
