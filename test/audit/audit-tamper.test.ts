import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, test } from 'node:test';

import { hashAuditEntry } from '../../src/audit/audit-hash.ts';
import { createAuditLog } from '../../src/audit/audit-log.ts';
import { listAuditRecordsAfter, type AuditHead } from '../../src/audit/audit-log.store.ts';
import { verifyAuditChain, type AuditChainReport } from '../../src/audit/verify-audit-chain.ts';
import type { Knex } from '../../src/db/knex.ts';
import { capturedLogger } from '../helpers/captured-logger.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';
import { openIsolatedStore, type IsolatedStore } from '../helpers/isolated-store.ts';
import { storeKind } from '../helpers/store.ts';

/*
 * Tampering as someone with DBA rights would: past the triggers with DDL, then editing rows. Each
 * test tampers inside a transaction, verifies inside it, and rolls it all back, so the committed
 * chain stays whole for the next test (checked after each).
 */

let store: IsolatedStore;
let db: Knex;
before(async () => {
  store = await openIsolatedStore();
  db = store.db;
});
after(() => store.close());
afterEach(async () => assert.deepEqual((await verifyAuditChain(db)).problems, [], 'the tampering was rolled back'));

/** Appends six entries; returns their seqs and the head after them (what an operator would have noted). */
async function appendSix(): Promise<{ seqs: number[]; noted: AuditHead }> {
  const audit = createAuditLog({ db, clock: fixedClock('2026-12-04T21:00:00Z'), logger: capturedLogger().logger, batchSize: 4, flushIntervalMs: 60_000, queueLimit: 100 });
  for (let i = 0; i < 6; i += 1) audit.record({ kind: 'call', action: `GET /accounts/${randomUUID()}`, actor: 'tpp-1', status: 200, payload: { i } });
  await audit.close();
  const report = await verifyAuditChain(db);
  assert.equal(report.problemCount, 0);
  return { seqs: Array.from({ length: 6 }, (_, i) => report.head.seq - 5 + i), noted: report.head };
}

async function tamperAndVerify(tamper: (trx: Knex.Transaction) => Promise<unknown>): Promise<AuditChainReport> {
  const trx = await db.transaction();
  try {
    await trx.raw('alter table audit_log disable trigger user');
    await trx.raw('alter table audit_head disable trigger user');
    await tamper(trx);
    return await verifyAuditChain(trx, { pageSize: 4 });
  } finally {
    await trx.rollback();
  }
}

/** Recomputes the hash of entry `seq` from its stored contents and prev_hash, as a careful attacker would. */
async function rehash(trx: Knex.Transaction, seq: number): Promise<string> {
  const [record] = await listAuditRecordsAfter(trx, seq - 1, 1);
  const hash = hashAuditEntry(record!.prevHash, seq, record!);
  await trx('audit_log').where({ seq }).update({ hash });
  return hash;
}

/** Rewrites the chain from `seq` to the end, each entry linked to the one before, and moves the head. */
async function rewriteFrom(trx: Knex.Transaction, seq: number): Promise<void> {
  let [previous] = await listAuditRecordsAfter(trx, seq - 2, 1);
  for (const record of await listAuditRecordsAfter(trx, seq - 1, 1_000_000)) {
    const hash = hashAuditEntry(previous!.hash, record.seq, record);
    await trx('audit_log').where({ seq: record.seq }).update({ prev_hash: previous!.hash, hash });
    previous = { ...record, hash };
  }
  await trx('audit_head').update({ seq: previous!.seq, hash: previous!.hash });
}

test(`a changed entry is reported where it is, whatever column changed (${storeKind})`, async () => {
  const { seqs } = await appendSix();
  const [, , third] = seqs;
  for (const change of [{ actor: 'someone-else' }, { status: 500 }, { payload: JSON.stringify({ i: 99 }) }, { at: new Date('2026-12-04T21:00:01Z') }, { consent_id: 'aac-added' }]) {
    const report = await tamperAndVerify((trx) => trx('audit_log').where({ seq: third }).update(change));
    assert.deepEqual(report.problems, [{ kind: 'changed', seq: third, message: `entry ${third} was changed: its hash does not match its contents` }], JSON.stringify(change));
    assert.equal(report.problemCount, 1);
  }
});

test(`a changed entry whose hash was recomputed breaks the link to the next one (${storeKind})`, async () => {
  const { seqs } = await appendSix();
  const [, , third, fourth] = seqs;
  const report = await tamperAndVerify(async (trx) => {
    await trx('audit_log').where({ seq: third }).update({ actor: 'someone-else' });
    await rehash(trx, third!);
  });
  assert.deepEqual(report.problems, [{ kind: 'broken_link', seq: fourth, message: `entry ${fourth} does not link to entry ${third}: an entry between them was removed, inserted or replaced` }]);
});

test(`a deleted entry in the middle, or several, leave a gap (${storeKind})`, async () => {
  const { seqs } = await appendSix();
  const [, second, third, fourth] = seqs;
  const one = await tamperAndVerify((trx) => trx('audit_log').where({ seq: third }).delete());
  assert.deepEqual(one.problems, [{ kind: 'removed', seq: third, message: `entry ${third} is missing` }]);
  assert.equal(one.count, seqs.at(-1)! - 1);
  const two = await tamperAndVerify((trx) => trx('audit_log').whereIn('seq', [second, third, fourth]).delete());
  assert.deepEqual(two.problems, [{ kind: 'removed', seq: second, message: `entries ${second} to ${fourth} are missing` }]);
});

test(`deleted entries at the tail fall short of the head (${storeKind})`, async () => {
  const { seqs, noted } = await appendSix();
  const [, , , , fifth, sixth] = seqs;
  const last = await tamperAndVerify((trx) => trx('audit_log').where({ seq: sixth }).delete());
  assert.deepEqual(last.problems, [{ kind: 'removed', seq: sixth, message: `entry ${sixth}, the last one appended, is missing` }]);
  assert.equal(last.head.seq, fifth);
  const lastTwo = await tamperAndVerify((trx) => trx('audit_log').where('seq', '>=', fifth!).delete());
  assert.deepEqual(lastTwo.problems, [{ kind: 'removed', seq: fifth, message: `entries ${fifth} to ${sixth}, the last ones appended, are missing` }]);
  assert.notEqual(lastTwo.head.hash, noted.hash);
});

test(`an entry forged past the head, however well linked, is inserted (${storeKind})`, async () => {
  const { seqs, noted } = await appendSix();
  const [, , , , , sixth] = seqs;
  const forged = sixth! + 1;
  const report = await tamperAndVerify(async (trx) => {
    const [model] = await listAuditRecordsAfter(trx, sixth! - 1, 1);
    const fields = { ...model!, actor: 'forger' };
    await trx('audit_log').insert({ seq: forged, at: fields.at, kind: fields.kind, action: fields.action, actor: fields.actor, status: fields.status, payload: JSON.stringify(fields.payload), prev_hash: noted.hash, hash: hashAuditEntry(noted.hash, forged, fields) });
  });
  assert.deepEqual(report.problems, [{ kind: 'inserted', seq: forged, message: `entries ${forged} to ${forged} lie past the head (entry ${sixth}): they were not appended by the audit log` }]);
});

test(`an entry inserted in the middle, the rest renumbered and the head moved, breaks the link and every renumbered hash (${storeKind})`, async () => {
  const { seqs, noted } = await appendSix();
  const [, second, third] = seqs;
  const end = seqs.at(-1)! + 1;
  const report = await tamperAndVerify(async (trx) => {
    // Two steps, so that no two rows share a seq on the way (the primary key is checked per row).
    await trx('audit_log').where('seq', '>=', third!).update({ seq: trx.raw('seq + 1000000') });
    await trx('audit_log').where('seq', '>=', 1_000_000).update({ seq: trx.raw('seq - 999999') });
    const [before] = await listAuditRecordsAfter(trx, second! - 1, 1);
    const fields = { ...before!, action: 'POST /domestic-payments', actor: 'forger' };
    await trx('audit_log').insert({ seq: third, at: fields.at, kind: fields.kind, action: fields.action, actor: fields.actor, status: fields.status, payload: JSON.stringify(fields.payload), prev_hash: before!.hash, hash: hashAuditEntry(before!.hash, third!, fields) });
    await trx('audit_head').update({ seq: end, hash: (await listAuditRecordsAfter(trx, end - 1, 1))[0]!.hash });
  });
  const renumbered = seqs.slice(2).map((seq) => seq + 1);
  assert.deepEqual(report.problems.map(({ kind, seq }) => ({ kind, seq })), [
    { kind: 'broken_link', seq: third! + 1 },
    ...renumbered.map((seq) => ({ kind: 'changed', seq })),
  ]);
  assert.equal(report.head.seq, end);
  assert.notEqual(report.head.seq, noted.seq, 'the noted head no longer names the last entry');
});

test(`the head moved back after deleting the tail, or the chain rewritten to the end, leave no trace in the database: only the head noted outside it tells (${storeKind})`, async () => {
  const { seqs, noted } = await appendSix();
  const [, , third, , fifth] = seqs;
  const truncated = await tamperAndVerify(async (trx) => {
    await trx('audit_log').where('seq', '>=', fifth!).delete();
    const [last] = await listAuditRecordsAfter(trx, fifth! - 2, 1);
    await trx.raw('update audit_head set seq = ?, hash = ?', [last!.seq, last!.hash]);
  });
  assert.deepEqual(truncated.problems, []);
  assert.ok(truncated.head.seq < noted.seq, 'the noted head is no longer in the chain');

  const rewritten = await tamperAndVerify(async (trx) => {
    await trx('audit_log').where({ seq: third }).update({ actor: 'someone-else' });
    await rewriteFrom(trx, third!);
  });
  assert.deepEqual(rewritten.problems, []);
  assert.equal(rewritten.head.seq, noted.seq);
  assert.notEqual(rewritten.head.hash, noted.hash, 'the noted head hash is no longer the chain\'s');
});

test(`problems past the first thousand are counted, not listed (${storeKind})`, async () => {
  const audit = createAuditLog({ db, clock: fixedClock('2026-12-04T21:00:00Z'), logger: capturedLogger().logger, batchSize: 1000, flushIntervalMs: 60_000, queueLimit: 2000 });
  for (let i = 0; i < 1002; i += 1) audit.record({ kind: 'event', action: 'x.happened', actor: 'system' });
  await audit.close();
  const { head } = await verifyAuditChain(db);
  const report = await tamperAndVerify((trx) => trx('audit_log').where('seq', '>', head.seq - 1002).update({ actor: 'someone-else' }));
  assert.equal(report.problemCount, 1002);
  assert.equal(report.problems.length, 1000);
  assert.ok(report.problems.every((problem) => problem.kind === 'changed'));
});
