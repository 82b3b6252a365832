import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openStore, type Knex } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { generateBank } from '../../sandbox/bank/generate/generate-bank.ts';
import { migrateSandboxBank } from '../../sandbox/bank/migrate-sandbox-bank.ts';
import { addUnit, DEFAULT_BATCH_TRANSACTIONS, emptyBatch, hashSeedPasswords, seedSandboxBank, writeBatch } from '../../sandbox/bank/seed-bank.ts';
import type { TrialRequest, TrialResult } from './trial-protocol.ts';

/*
 * One timed trial, in a process of its own so that its peak RSS is its own: the parent forks this
 * file with a TrialRequest as its one argument and gets a TrialResult back over IPC.
 *
 * - seed: `seedSandboxBank` as `npm run sandbox -- seed` calls it (hashing, generating and writing
 *   in batches, one written while the next is generated).
 * - serial: the same batches, each written as soon as it is generated and the next generated
 *   only once it is written: the obvious loop, what the seed's overlap of the two is measured
 *   against.
 * - generate: the generator alone, its rows dropped as they come: what the pipeline must hide.
 */

const request = JSON.parse(process.argv[2]!) as TrialRequest;
const spec = { seed: 'portcullis-bench', customers: request.customers, asOf: '2026-12-01' };

async function timed(work: () => Promise<number>): Promise<{ ms: number; transactions: number }> {
  const started = performance.now();
  const transactions = await work();
  return { ms: performance.now() - started, transactions };
}

async function run(db: Knex | undefined): Promise<{ ms: number; transactions: number }> {
  switch (request.kind) {
    case 'generate':
      return timed(async () => {
        const passwords = { story: new Map<string, string>(), generated: 'not hashed' };
        let transactions = 0;
        for (const unit of generateBank(spec)) {
          const batch = emptyBatch();
          addUnit(batch, unit, passwords);
          transactions += batch.transactions.length;
        }
        return transactions;
      });
    case 'serial':
      return timed(async () => {
        const passwords = await hashSeedPasswords();
        let batch = emptyBatch();
        let transactions = 0;
        for (const unit of generateBank(spec)) {
          addUnit(batch, unit, passwords);
          if (batch.transactions.length < DEFAULT_BATCH_TRANSACTIONS) continue;
          await writeBatch(db!, batch);
          transactions += batch.transactions.length;
          batch = emptyBatch();
        }
        await writeBatch(db!, batch);
        return transactions + batch.transactions.length;
      });
    case 'seed':
      return timed(async () => {
        await seedSandboxBank(db!, { ...spec, replace: false });
        const [{ count }] = await db!('sandbox_transactions').count<{ count: string }[]>({ count: '*' });
        return Number(count);
      });
  }
}

const pgliteDir = request.store === 'pglite' ? mkdtempSync(join(tmpdir(), 'bench-seed-')) : undefined;
const db = request.kind === 'generate' ? undefined : openStore(pgliteDir ? { pgliteDir } : { databaseUrl: request.databaseUrl! });
try {
  if (db) {
    await migrateToLatest(db);
    await migrateSandboxBank(db);
  }
  const readyRssMb = process.resourceUsage().maxRSS / 1024;
  const { ms, transactions } = await run(db);
  process.send!({ ms, transactions, readyRssMb, maxRssMb: process.resourceUsage().maxRSS / 1024 } satisfies TrialResult);
} finally {
  await db?.destroy();
  if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
}
