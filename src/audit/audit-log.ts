import type { Knex } from 'knex';

import type { Logger } from '../observability/logger.ts';
import type { Clock } from '../shared/clock.ts';
import { toAuditFields, type AuditEntry, type AuditFields, type AuditRecord } from './audit-entry.ts';
import { canonicalAuditFields, chainAuditEntry } from './audit-hash.ts';
import { appendAuditRecords, findAuditHashes, lockAuditChain, readAuditHead } from './audit-log.store.ts';
import { AuditUnavailable } from './audit-unavailable.ts';

/*
 * The audit log's writer: entries are queued in process and appended in batches, one transaction
 * each, off the request path (STYLE.md, the hot path). Nothing is dropped silently:
 * - a failed write keeps every queued entry, logs `audit.write_failed`, counts it, and is retried
 *   after `flushIntervalMs`. A write may fail after its commit reached the database (the reply
 *   was lost with the connection): the retry finds the batch in the chain and does not append it
 *   a second time;
 * - a queue past `queueLimit` still keeps what it is given (shedding audit entries is not ours to
 *   decide), logs `audit.backlog` once and counts each entry over the limit: the signal to fail
 *   audited calls closed, or to page someone;
 * - an entry that must be written (`recordRequired`) is written now, with whatever is queued, and
 *   its caller learns whether it was. When the write fails it is refused with `AuditUnavailable`
 *   and leaves the queue: its call is refused, so writing it later would record a call as if it
 *   went through;
 * - whatever `close` cannot write is logged in full (`audit.unwritten`), the last record left.
 * Several instances may append to one database: the chain is extended under a lock, from the head
 * read inside the same transaction, so each batch links to whatever the others wrote before it.
 */

// PostgreSQL binds at most 65535 parameters per statement; a row takes 15.
const MAX_BATCH_SIZE = 1000;

export interface AuditLogOptions {
  db: Knex;
  /** Stamps entries that do not say when they happened. */
  clock: Clock;
  logger: Logger;
  /** Entries appended per transaction, 1 to 1000. A full batch is written at once. */
  batchSize: number;
  /** Milliseconds an entry from `record` waits for its batch to fill; also the wait before retrying a failed write. */
  flushIntervalMs: number;
  /** Queued entries past which the backlog is reported; they are kept all the same. At least `batchSize`. */
  queueLimit: number;
}

/** Counters for metrics: what is waiting, what was written, and every way an entry was delayed or lost. */
export interface AuditLogStats {
  /** Entries waiting to be written. */
  queued: number;
  /** Entries appended to the chain. */
  written: number;
  /** Batches whose transaction failed (their entries stayed queued, or were refused if required). */
  writeFailures: number;
  /** Entries recorded while the queue was past `queueLimit`. */
  overLimit: number;
  /** Entries that never reached the store and were logged instead: recorded after `close`, or left when it failed. */
  unwritten: number;
}

export interface AuditLog {
  /** Queues an entry for the next batch. Throws a `TypeError` for an entry no store would take (see `toAuditFields`). */
  record(entry: AuditEntry): void;
  /** Resolves once the entry is committed; rejects with `AuditUnavailable` when it cannot be (fail closed). */
  recordRequired(entry: AuditEntry): Promise<void>;
  /** Writes everything queued before the call; rejects with `AuditUnavailable` (keeping the entries) if a write fails. */
  flush(): Promise<void>;
  /** Stops taking entries and flushes; on shutdown. Rejects, after logging the entries it could not write, if the flush fails. */
  close(): Promise<void>;
  stats(): AuditLogStats;
}

interface Queued {
  id: number;
  fields: AuditFields;
  /** `canonicalAuditFields(fields)`, made as the entry comes rather than all at once when its batch goes. */
  canonical: string;
  required?: { resolve(): void; reject(error: AuditUnavailable): void };
}

function checkOptions({ batchSize, flushIntervalMs, queueLimit }: AuditLogOptions): void {
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= MAX_BATCH_SIZE)) throw new RangeError(`batchSize must be a whole number from 1 to ${MAX_BATCH_SIZE}`);
  if (!(Number.isFinite(flushIntervalMs) && flushIntervalMs > 0)) throw new RangeError('flushIntervalMs must be a number of milliseconds above 0');
  if (!(Number.isInteger(queueLimit) && queueLimit >= batchSize)) throw new RangeError('queueLimit must be a whole number, at least batchSize');
}

/** A batch whose write failed without saying whether it committed: its entries, and the last link it made. */
interface UnsettledWrite {
  ids: readonly number[];
  last: { seq: number; hash: string };
}

/**
 * Appends `batch` after the chain's head, whoever wrote it, in one transaction, but for the entries
 * an unsettled write committed already. Under the chain's lock every earlier write has ended,
 * committed or not, so finding its last link in the chain tells which. `attempting` learns of this
 * write before it commits.
 */
async function appendBatch(db: Knex, batch: readonly Queued[], unsettled: readonly UnsettledWrite[], attempting: (write: UnsettledWrite) => void): Promise<void> {
  await db.transaction(async (trx) => {
    await lockAuditChain(trx);
    const committed = new Set<number>();
    if (unsettled.length > 0) {
      const chained = await findAuditHashes(trx, unsettled.map((write) => write.last.seq));
      for (const write of unsettled) if (chained.get(write.last.seq) === write.last.hash) for (const id of write.ids) committed.add(id);
    }
    const head = await readAuditHead(trx);
    if (!head) throw new Error('audit_head is missing: the chain has no head to extend');
    let { seq, hash: prevHash } = head;
    const pending = batch.filter((item) => !committed.has(item.id));
    if (pending.length === 0) return;
    const records = pending.map(({ fields, canonical }): AuditRecord => {
      seq += 1;
      const record = { ...fields, seq, prevHash, hash: chainAuditEntry(prevHash, seq, canonical) };
      prevHash = record.hash;
      return record;
    });
    attempting({ ids: pending.map((item) => item.id), last: { seq, hash: prevHash } });
    await appendAuditRecords(trx, records);
  });
}

/**
 * The audit log of this process. Entries go to the store in batches; `close` it on shutdown.
 *
 * @example
 * const audit = createAuditLog({ db, clock: systemClock, logger, batchSize: 200, flushIntervalMs: 1000, queueLimit: 100_000 });
 * audit.record({ kind: 'call', action: 'GET /accounts', actor: clientId, apiId, clientId, consentId, status: 200 });
 * await audit.recordRequired({ kind: 'call', … }); // throws AuditUnavailable: answer 503
 */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  checkOptions(options);
  const { db, clock, logger, batchSize, flushIntervalMs, queueLimit } = options;
  let queue: Queued[] = [];
  // Writes that failed since the last one that succeeded: any of them may have committed.
  let unsettled: UnsettledWrite[] = [];
  const counts = { written: 0, writeFailures: 0, overLimit: 0, unwritten: 0 };
  let lastId = 0;
  // Entries up to this id are due now (their wait ran out, a required entry came, or a flush asks
  // for them); past it, only full batches are written, so that a writer kept busy by a steady trickle
  // of entries does not commit a small batch for each commit's worth of them.
  let dueThrough = 0;
  let lastFailure: unknown;
  let failing = false;
  let backlogged = false;
  let closed = false;
  let draining: Promise<boolean> | undefined;
  let closing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  function enqueue(item: Omit<Queued, 'id'>): void {
    lastId += 1;
    queue.push({ ...item, id: lastId });
    if (queue.length <= queueLimit) return;
    counts.overLimit += 1;
    if (!backlogged) logger.error({ queued: queue.length, queueLimit }, 'audit.backlog');
    backlogged = true;
  }

  /** A failed write refuses every entry that had to be written now; the rest wait for the retry. */
  function refuseRequired(error: unknown): void {
    const refusal = new AuditUnavailable('the audit log could not be written', { cause: error });
    for (const item of queue) item.required?.reject(refusal);
    queue = queue.filter((item) => !item.required);
  }

  const hasWork = () => queue.length >= batchSize || (queue.length > 0 && queue[0]!.id <= dueThrough);

  /** Writes batches while a full one or a due entry waits (true), or until a write fails (false). */
  async function drainQueue(): Promise<boolean> {
    while (hasWork()) {
      const batch = queue.slice(0, batchSize);
      let attempt: UnsettledWrite | undefined;
      try {
        await appendBatch(db, batch, unsettled, (write) => { attempt = write; });
      } catch (error) {
        // The same batch failing again on the same head makes the same link: one is enough to look for.
        if (attempt && !unsettled.some((write) => write.last.hash === attempt!.last.hash)) unsettled.push(attempt);
        counts.writeFailures += 1;
        lastFailure = error;
        failing = true;
        logger.error({ err: error, queued: queue.length }, 'audit.write_failed');
        refuseRequired(error);
        return false;
      }
      // What the unsettled writes did not commit, they never will: each took the lock this one held.
      unsettled = [];
      // Only this loop takes entries off the front, so the batch is still there. Each of its
      // entries is in the chain now: appended by this write, or by an unsettled one (whose batch
      // was this one's front: only refused entries left the queue since).
      queue.splice(0, batch.length);
      counts.written += batch.length;
      for (const item of batch) item.required?.resolve();
      if (failing) logger.info({ queued: queue.length }, 'audit.recovered');
      failing = false;
      if (backlogged && queue.length <= queueLimit) logger.info({ queued: queue.length }, 'audit.backlog_cleared');
      backlogged &&= queue.length > queueLimit;
    }
    return true;
  }

  function schedule(): void {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      dueThrough = lastId;
      void startDrain();
    }, flushIntervalMs);
    // Shutdown goes through close(), which flushes; a pending timer must not hold the process up.
    timer.unref();
  }

  function startDrain(): Promise<boolean> {
    if (draining) return draining;
    const run = drainQueue().then((written) => {
      draining = undefined;
      // Entries may have come while the last batch committed: required ones go now, a full batch
      // or a due entry goes now unless the store is failing (then the retry takes it), the rest
      // wait their turn.
      if (!closed && (queue.some((item) => item.required) || (written && hasWork()))) void startDrain();
      else if (queue.length > 0) schedule();
      return written;
    });
    draining = run;
    return run;
  }

  async function flush(): Promise<void> {
    const through = lastId;
    dueThrough = through;
    while (queue.length > 0 && queue[0]!.id <= through) {
      if (!(await startDrain())) throw new AuditUnavailable(`${queue.length} audit entries could not be written`, { cause: lastFailure });
    }
  }

  return {
    record(entry) {
      const fields = toAuditFields(entry, clock);
      if (closed) {
        counts.unwritten += 1;
        logger.error({ entries: [fields] }, 'audit.unwritten');
        return;
      }
      enqueue({ fields, canonical: canonicalAuditFields(fields) });
      if (queue.length >= batchSize && !failing) void startDrain();
      else schedule();
    },
    async recordRequired(entry) {
      const fields = toAuditFields(entry, clock);
      if (closed) throw new AuditUnavailable('the audit log is closed');
      const written = new Promise<void>((resolve, reject) => enqueue({ fields, canonical: canonicalAuditFields(fields), required: { resolve, reject } }));
      dueThrough = lastId;
      void startDrain();
      return written;
    },
    flush,
    close() {
      closing ??= (async () => {
        closed = true;
        clearTimeout(timer);
        timer = undefined;
        try {
          await flush();
        } catch (error) {
          counts.unwritten += queue.length;
          logger.error({ err: error, entries: queue.map((item) => item.fields) }, 'audit.unwritten');
          queue = [];
          throw error;
        }
      })();
      return closing;
    },
    stats: () => ({ queued: queue.length, ...counts }),
  };
}
