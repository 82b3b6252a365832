import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { AuditEntry } from '../../src/audit/audit-entry.ts';
import { GENESIS_HASH } from '../../src/audit/audit-hash.ts';
import { createAuditLog, type AuditLogOptions } from '../../src/audit/audit-log.ts';
import { AuditUnavailable } from '../../src/audit/audit-unavailable.ts';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.ts';
import { openStore, type Knex } from '../../src/db/knex.ts';
import { capturedLogger } from '../helpers/captured-logger.ts';
import { startDatabaseProxy } from '../helpers/database-proxy.ts';
import { eventually } from '../helpers/eventually.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';
import { openIsolatedStore, type IsolatedStore } from '../helpers/isolated-store.ts';
import { storeKind } from '../helpers/store.ts';
import { refusedDatabaseUrl } from '../helpers/unreachable-database.ts';

// The chain is the whole table's: on PostgreSQL this file gets a schema of its own, so that the
// counts and the head it checks are its own.
let store: IsolatedStore;
let db: Knex;
before(async () => {
  store = await openIsolatedStore();
  db = store.db;
});
after(() => store.close());

const clock = fixedClock('2026-12-04T21:00:00Z');

function auditLog(options: Partial<AuditLogOptions> = {}) {
  const captured = capturedLogger();
  const audit = createAuditLog({ db, clock, logger: captured.logger, batchSize: 10, flushIntervalMs: 60_000, queueLimit: 1000, ...options });
  return { audit, ...captured };
}

/** An entry no other test has: its action is unique. */
function entry(extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'call', action: `GET /t/${randomUUID()}`, actor: 'tpp-1', clientId: 'tpp-1', status: 200, ...extra };
}

async function storedActions(actions: string[]): Promise<string[]> {
  const rows: Array<{ action: string }> = await db('audit_log').select('action').whereIn('action', actions).orderBy('seq');
  return rows.map((row) => row.action);
}

test(`entries are appended in batches, in order, each linked to the one before from the genesis hash, and the chain verifies (${storeKind})`, async () => {
  const before = await verifyAuditChain(db);
  assert.deepEqual(before, { count: 0, head: { seq: 0, hash: GENESIS_HASH }, problems: [], problemCount: 0, complete: true }, 'a fresh store');
  const { audit } = auditLog({ batchSize: 2 });
  const entries = [entry({ payload: { body: { Data: [1, 2] } } }), entry({ kind: 'admin', actor: 'ops-ann', status: undefined }), entry({ kind: 'event', actor: 'system' }), entry(), entry({ consentId: 'aac-1', customerId: 'cust-1' })];
  for (const each of entries) audit.record(each);
  await audit.flush();
  assert.deepEqual(audit.stats(), { queued: 0, written: 5, writeFailures: 0, overLimit: 0, unwritten: 0 });

  const rows: Array<{ seq: string | number; prev_hash: string; hash: string; action: string; actor: string; consent_id: string | null; payload: unknown }> = await db('audit_log').where('seq', '>', before.head.seq).orderBy('seq');
  assert.deepEqual(rows.map((row) => row.action), entries.map((each) => each.action));
  assert.deepEqual(rows.map((row) => Number(row.seq)), [1, 2, 3, 4, 5].map((n) => before.head.seq + n));
  assert.equal(rows[0]!.prev_hash, before.head.hash);
  for (let i = 1; i < rows.length; i += 1) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
  assert.deepEqual(rows[0]!.payload, { body: { Data: [1, 2] } });
  assert.equal(rows[4]!.consent_id, 'aac-1');

  const report = await verifyAuditChain(db, { pageSize: 2 });
  assert.deepEqual(report, { count: before.count + 5, head: { seq: before.head.seq + 5, hash: rows[4]!.hash }, problems: [], problemCount: 0, complete: true });
  assert.deepEqual(await db('audit_head').first('hash'), { hash: rows[4]!.hash });
});

test(`text that must be escaped on its way to the store is stored as given and still hashes to its entry (${storeKind})`, async () => {
  const awkward = 'a "quoted", {braced} [listed] \\ back\\slashed, NULL, null, \u00e9t\u00e9 \u{1F600}, tab\tnewline\n, \u0001\u001f\u2028\u007f';
  const { audit } = auditLog();
  const entries = [entry({ actor: awkward, route: 'NULL', consentId: '', payload: { note: awkward, list: [awkward, null, 1.5], 'key "x"': { '': true } } }), entry({ apiId: '{"a":1}', status: undefined, payload: 'just text' })];
  for (const each of entries) audit.record(each);
  await audit.flush();
  const rows: Array<{ actor: string; route: string | null; consent_id: string | null; api_id: string | null; status: number | null; payload: unknown }> = await db('audit_log').whereIn('action', entries.map((each) => each.action)).orderBy('seq');
  assert.deepEqual(rows.map(({ actor, route, consent_id, api_id, status, payload }) => ({ actor, route, consent_id, api_id, status, payload })), [
    { actor: awkward, route: 'NULL', consent_id: '', api_id: null, status: 200, payload: { note: awkward, list: [awkward, null, 1.5], 'key "x"': { '': true } } },
    { actor: 'tpp-1', route: null, consent_id: null, api_id: '{"a":1}', status: null, payload: 'just text' },
  ]);
  assert.deepEqual((await verifyAuditChain(db)).problems, []);
});

test('a full batch is written at once; a partial one waits for flushIntervalMs, or for flush()', async () => {
  const { audit } = auditLog({ batchSize: 3 });
  const full = [entry(), entry(), entry()];
  for (const each of full) audit.record(each);
  await eventually(() => audit.stats().written === 3, { withinMs: 5000, what: 'the full batch' });
  assert.deepEqual(await storedActions(full.map((each) => each.action)), full.map((each) => each.action));

  const partial = entry();
  audit.record(partial);
  await sleep(100);
  assert.deepEqual(await storedActions([partial.action]), [], 'a minute to go before the partial batch is due');
  assert.equal(audit.stats().queued, 1);
  await audit.flush();
  assert.deepEqual(await storedActions([partial.action]), [partial.action]);

  const timed = auditLog({ batchSize: 3, flushIntervalMs: 30 });
  const late = entry();
  timed.audit.record(late);
  await eventually(async () => (await storedActions([late.action])).length === 1, { withinMs: 5000, what: 'the timer to write a partial batch' });
  assert.deepEqual(timed.audit.stats(), { queued: 0, written: 1, writeFailures: 0, overLimit: 0, unwritten: 0 });
});

test('entries that come while a full batch commits wait for a full batch of their own or their interval, not for the writer to come back', async () => {
  const { audit } = auditLog({ batchSize: 5 });
  const first = Array.from({ length: 5 }, () => entry());
  for (const each of first) audit.record(each);
  // The full batch's write is under way; these two come while it commits, as under steady load.
  const trickle = [entry(), entry()];
  for (const each of trickle) audit.record(each);
  await eventually(() => audit.stats().written === 5, { withinMs: 5000, what: 'the full batch' });
  await sleep(200);
  assert.deepEqual(audit.stats(), { queued: 2, written: 5, writeFailures: 0, overLimit: 0, unwritten: 0 }, 'the two wait: a minute to go, and no full batch');
  const more = [entry(), entry(), entry()];
  for (const each of more) audit.record(each);
  await eventually(() => audit.stats().written === 10, { withinMs: 5000, what: 'the second full batch' });
  const actions = [...first, ...trickle, ...more].map((each) => each.action);
  assert.deepEqual(await storedActions(actions), actions);
});

test('recordRequired resolves once its entry is committed, without waiting for the interval, together with what was queued before it', async () => {
  const { audit } = auditLog({ batchSize: 50 });
  const queued = entry();
  audit.record(queued);
  const required = Array.from({ length: 20 }, () => entry());
  await Promise.all(required.map((each) => audit.recordRequired(each)));
  const actions = [queued, ...required].map((each) => each.action);
  assert.deepEqual(await storedActions(actions), actions);
  assert.equal(audit.stats().queued, 0);
  assert.equal((await verifyAuditChain(db)).problemCount, 0);
});

test('entries carry the clock\'s instant, or their own, to the millisecond, and the stored row hashes to its hash', async () => {
  const { audit } = auditLog();
  const own = new Date('2026-12-04T20:00:00.987Z');
  const stamped = entry();
  const dated = entry({ at: own, payload: { odd: 'a\u0000b', n: 0.1 + 0.2 } });
  audit.record(stamped);
  audit.record(dated);
  await audit.flush();
  const rows: Array<{ action: string; at: Date; payload: unknown }> = await db('audit_log').whereIn('action', [stamped.action, dated.action]).orderBy('seq');
  assert.deepEqual(rows.map((row) => row.at), [clock.now(), own]);
  assert.deepEqual(rows[1]!.payload, { odd: 'a\uFFFDb', n: 0.30000000000000004 });
  assert.equal((await verifyAuditChain(db)).problemCount, 0);
});

test('close() writes what is queued; afterwards record logs the entry as unwritten and recordRequired refuses', async () => {
  const { audit, lines } = auditLog();
  const queued = [entry(), entry()];
  for (const each of queued) audit.record(each);
  await Promise.all([audit.close(), audit.close()]);
  assert.deepEqual(await storedActions(queued.map((each) => each.action)), queued.map((each) => each.action));

  const late = entry();
  audit.record(late);
  await assert.rejects(audit.recordRequired(entry()), (error: unknown) => error instanceof AuditUnavailable && /closed/.test(error.message));
  assert.deepEqual(await storedActions([late.action]), []);
  assert.deepEqual(audit.stats(), { queued: 0, written: 2, writeFailures: 0, overLimit: 0, unwritten: 1 });
  const unwritten = lines.find((line) => line.msg === 'audit.unwritten');
  assert.equal(unwritten?.level, 50);
  assert.deepEqual((unwritten?.['entries'] as Array<{ action: string }>).map((each) => each.action), [late.action]);
});

test('a queue past queueLimit keeps every entry, logs audit.backlog once and counts each entry over the limit', async () => {
  const { audit, lines, messages } = auditLog({ batchSize: 2, queueLimit: 3 });
  const entries = Array.from({ length: 6 }, () => entry());
  for (const each of entries) audit.record(each);
  assert.equal(audit.stats().overLimit, 3);
  assert.deepEqual(messages().filter((msg) => msg === 'audit.backlog'), ['audit.backlog']);
  assert.equal(lines.find((line) => line.msg === 'audit.backlog')?.level, 50);
  await audit.flush();
  assert.deepEqual(await storedActions(entries.map((each) => each.action)), entries.map((each) => each.action));
  assert.ok(messages().includes('audit.backlog_cleared'));
  assert.deepEqual(audit.stats(), { queued: 0, written: 6, writeFailures: 0, overLimit: 3, unwritten: 0 });
});

test('options out of range are refused', () => {
  const captured = capturedLogger();
  const base = { db, clock, logger: captured.logger, batchSize: 10, flushIntervalMs: 100, queueLimit: 100 };
  for (const batchSize of [0, 1001, 2.5]) assert.throws(() => createAuditLog({ ...base, batchSize }), { name: 'RangeError', message: /batchSize/ });
  for (const flushIntervalMs of [0, -1, Number.NaN]) assert.throws(() => createAuditLog({ ...base, flushIntervalMs }), { name: 'RangeError', message: /flushIntervalMs/ });
  assert.throws(() => createAuditLog({ ...base, queueLimit: 9 }), { name: 'RangeError', message: /queueLimit/ });
});

test(`the application's own connection cannot UPDATE, DELETE or TRUNCATE audit rows, nor move the head back or remove it (${storeKind})`, async () => {
  const { audit } = auditLog();
  const kept = entry();
  await audit.recordRequired(kept);
  const refused = { code: '42501', message: /append-only|only moves forward/ };
  await assert.rejects(db('audit_log').where({ action: kept.action }).update({ actor: 'someone-else' }), refused);
  await assert.rejects(db('audit_log').where({ action: kept.action }).delete(), refused);
  await assert.rejects(db.raw('truncate audit_log'), refused);
  await assert.rejects(db('audit_head').update({ seq: 0 }), refused);
  await assert.rejects(db('audit_head').update({ seq: db.raw('seq'), hash: GENESIS_HASH }), refused);
  await assert.rejects(db('audit_head').delete(), refused);
  await assert.rejects(db.raw('truncate audit_head'), refused);
  await assert.rejects(db('audit_head').insert({ id: false, seq: 0, hash: GENESIS_HASH }), /audit_head_one_row_check/);
  assert.deepEqual(await db('audit_log').where({ action: kept.action }).select('actor'), [{ actor: 'tpp-1' }]);
  assert.equal((await verifyAuditChain(db)).problemCount, 0);
});

for (const [what, unavailableStore] of [
  ['a destroyed store', async () => {
    const gone = process.env.DATABASE_URL ? openStore({ databaseUrl: process.env.DATABASE_URL }) : openStore({ pgliteDir: 'memory://' });
    await gone.destroy();
    return gone;
  }],
  ['a database that refuses connections', async () => openStore({ databaseUrl: await refusedDatabaseUrl() })],
] as const) {
  test(`recordRequired rejects with AuditUnavailable on ${what}; record keeps its entries and counts the failure (${storeKind})`, async (t) => {
    const away = await unavailableStore();
    t.after(() => away.destroy());
    const captured = capturedLogger();
    const audit = createAuditLog({ db: away, clock, logger: captured.logger, batchSize: 10, flushIntervalMs: 60_000, queueLimit: 100 });
    audit.record(entry());
    await assert.rejects(audit.recordRequired(entry()), (error: unknown) => error instanceof AuditUnavailable && error.cause instanceof Error);
    assert.deepEqual(audit.stats(), { queued: 1, written: 0, writeFailures: 1, overLimit: 0, unwritten: 0 });
    assert.equal(captured.lines.find((line) => line.msg === 'audit.write_failed')?.level, 50);
    await assert.rejects(audit.flush(), AuditUnavailable);
    assert.equal(audit.stats().queued, 1, 'still kept');
  });
}

test(`entries recorded while writes fail are kept, retried, and written in order once the store recovers; required ones fail closed meanwhile (${storeKind})`, async () => {
  const { audit, lines, messages } = auditLog({ batchSize: 2, flushIntervalMs: 30 });
  // The store fails every append until the table is back: a real error from the real store.
  await db.raw('alter table audit_head rename to audit_head_away');
  const during = [entry(), entry(), entry()];
  for (const each of during) audit.record(each);
  await eventually(() => audit.stats().writeFailures >= 1, { withinMs: 5000, what: 'a failed write' });
  const refused = entry();
  await assert.rejects(audit.recordRequired(refused), AuditUnavailable);
  assert.equal(audit.stats().queued, 3);
  assert.equal(lines.find((line) => line.msg === 'audit.write_failed')?.level, 50);
  await sleep(100);
  assert.ok(audit.stats().writeFailures >= 2, 'retried after flushIntervalMs');
  assert.deepEqual(await storedActions(during.map((each) => each.action)), []);

  await db.raw('alter table audit_head_away rename to audit_head');
  await eventually(() => audit.stats().queued === 0, { withinMs: 5000, what: 'the retry to write the backlog' });
  assert.deepEqual(await storedActions([...during, refused].map((each) => each.action)), during.map((each) => each.action), 'the refused entry is not written later');
  assert.ok(messages().includes('audit.recovered'));
  assert.equal(audit.stats().written, 3);
  assert.equal((await verifyAuditChain(db)).problemCount, 0);
});

test(`a write whose commit reached the store but whose answer was lost is not appended again when retried (${storeKind})`, async () => {
  // The commit goes through and its answer is lost, once: as when the connection dies right after the COMMIT reached the server.
  let loseAnswer = true;
  const lossy = {
    async transaction(work: (trx: Knex.Transaction) => Promise<unknown>) {
      const done = await db.transaction(work);
      if (loseAnswer) {
        loseAnswer = false;
        throw new Error('Connection terminated unexpectedly');
      }
      return done;
    },
  } as unknown as Knex;
  const captured = capturedLogger();
  const audit = createAuditLog({ db: lossy, clock, logger: captured.logger, batchSize: 10, flushIntervalMs: 60_000, queueLimit: 100 });
  const first = [entry(), entry()];
  for (const each of first) audit.record(each);
  await assert.rejects(audit.flush(), AuditUnavailable);
  assert.deepEqual(await storedActions(first.map((each) => each.action)), first.map((each) => each.action), 'committed, though the writer could not tell');
  assert.equal(audit.stats().queued, 2);

  const later = entry();
  audit.record(later);
  await audit.flush();
  const all = [...first, later].map((each) => each.action);
  assert.deepEqual(await storedActions(all), all, 'each entry once, in order');
  assert.deepEqual(audit.stats(), { queued: 0, written: 3, writeFailures: 1, overLimit: 0, unwritten: 0 });
  assert.equal((await verifyAuditChain(db)).problemCount, 0);
});

test('through a real outage of PostgreSQL: required entries fail closed while it is away, the queued ones are written when it is back', { skip: process.env.DATABASE_URL ? false : 'needs PostgreSQL (DATABASE_URL): PGlite runs in this process, with no connection to lose' }, async (t) => {
  const proxy = await startDatabaseProxy(store.databaseUrl!);
  const through = openStore({ databaseUrl: proxy.url });
  t.after(async () => {
    await through.destroy();
    await proxy.close();
  });
  const captured = capturedLogger();
  const audit = createAuditLog({ db: through, clock, logger: captured.logger, batchSize: 10, flushIntervalMs: 30, queueLimit: 100 });
  const first = entry();
  await audit.recordRequired(first);

  await proxy.cut('refused');
  const during = [entry(), entry()];
  for (const each of during) audit.record(each);
  await assert.rejects(audit.recordRequired(entry()), (error: unknown) => error instanceof AuditUnavailable && error.cause !== undefined);
  assert.equal(audit.stats().queued, 2);

  await proxy.restore();
  await eventually(() => audit.stats().queued === 0, { withinMs: 5000, what: 'the backlog after the outage' });
  assert.deepEqual(await storedActions([first, ...during].map((each) => each.action)), [first, ...during].map((each) => each.action));
  await audit.close();
  assert.equal((await verifyAuditChain(db)).problemCount, 0);
});
