import { setImmediate as setImmediatePromise } from 'node:timers/promises';

import type { Knex } from 'knex';

import { deleteCustomers, insertCustomersIfAbsent, type CustomerRow } from '../../src/auth/customers/customer.store.ts';
import { hashPassword } from '../../src/auth/customers/password-authenticator.ts';
import { isEmbeddedStore } from '../../src/db/knex.ts';
import type { BankUnit } from './generate/bank-unit.ts';
import { generateBank, type BankSpec } from './generate/generate-bank.ts';
import { STORY_LOGINS } from './generate/story-customers.ts';
import { clearLedger, findBankRecord, insertBankRecord, insertLedgerBatch, ledgerCustomerIds, ledgerHasCustomers, type BankRecord, type LedgerBatch } from './ledger.store.ts';

/** The password every generated customer (`customer-<n>`) signs in with. */
export const GENERATED_PASSWORD = 'customer-sandbox-pass';

/** Transactions per batch (one database transaction each): of 5,000, 20,000 and 60,000, measured on 2,000 customers, 5,000 was as fast or faster on both stores and holds the least in memory. */
export const DEFAULT_BATCH_TRANSACTIONS = 5_000;

export interface SeedRequest extends BankSpec {
  /** Replace a bank that is there already (its customers, their sign-in rows and payments go). */
  replace: boolean;
  batchTransactions?: number;
  /** Called after each batch with the number of customers (story and generated) written so far. */
  onProgress?: (written: number) => void;
}

export type SeedOutcome = { seeded: true; record: BankRecord } | { seeded: false; record: BankRecord };

/** A ledger with customers but no record: an earlier seed stopped half-way. */
export class SeedBrokenOff extends Error {
  override name = 'SeedBrokenOff';
}

/** Rows of some customers, written in one transaction: their sign-in rows and their ledger. */
export interface SeedBatch extends LedgerBatch {
  logins: CustomerRow[];
  /** Customers in it. */
  written: number;
}

/** Password hashes of the customers: each story customer's own, one shared by the generated ones. */
export interface SeedPasswords {
  story: ReadonlyMap<string, string>;
  generated: string;
}

export const emptyBatch = (): SeedBatch => ({ logins: [], customers: [], accounts: [], holders: [], transactions: [], resources: [], written: 0 });

/** Argon2 is slow on purpose: the generated customers' shared password is hashed once, each story customer's once. */
export async function hashSeedPasswords(): Promise<SeedPasswords> {
  const [generated, ...story] = await Promise.all([hashPassword(GENERATED_PASSWORD), ...STORY_LOGINS.map((login) => hashPassword(login.password))]);
  return { story: new Map(STORY_LOGINS.map((login, index) => [login.username, story[index]!])), generated: generated! };
}

export function addUnit(batch: SeedBatch, unit: BankUnit, passwords: SeedPasswords): void {
  for (const customer of unit.customers) {
    batch.logins.push({ id: customer.customerId, username: customer.username, password_hash: passwords.story.get(customer.username) ?? passwords.generated, display_name: customer.displayName });
    batch.customers.push({ customer_id: customer.customerId, kind: customer.kind, party: customer.party });
  }
  // Each holder's accounts in the order the unit lists them: a joint account comes where it stands in each holder's list.
  const held = new Map<string, number>();
  for (const account of unit.accounts) {
    batch.accounts.push(account.row);
    for (const customerId of account.holders) {
      held.set(customerId, (held.get(customerId) ?? 0) + 1);
      batch.holders.push({ customer_id: customerId, account_id: account.row.account_id, position: held.get(customerId)! });
    }
    batch.transactions.push(...account.transactions);
    batch.resources.push(...account.resources);
  }
  batch.written += unit.customers.length;
}

export async function writeBatch(db: Knex, batch: SeedBatch): Promise<void> {
  await db.transaction(async (trx) => {
    await insertCustomersIfAbsent(trx, batch.logins);
    await insertLedgerBatch(trx, batch);
  });
}

/** Sign-in rows for the story customers alone, those not there yet: for a ledger written by other means (a test's fixture). */
export async function insertStoryLogins(db: Knex): Promise<void> {
  const hashes = await Promise.all(STORY_LOGINS.map((story) => hashPassword(story.password)));
  await insertCustomersIfAbsent(db, STORY_LOGINS.map((story, index) => ({ id: story.customerId, username: story.username, password_hash: hashes[index]!, display_name: story.displayName })));
}

/**
 * Seeds the sandbox bank unless one is there (or replaces it): generates it one unit at a time and
 * writes it in batches of about `batchTransactions` transactions, each in a transaction of its own,
 * then records how it was made.
 */
export async function seedSandboxBank(db: Knex, request: SeedRequest): Promise<SeedOutcome> {
  const existing = await findBankRecord(db);
  if (existing && !request.replace) return { seeded: false, record: existing };
  if (request.replace) {
    await db.transaction(async (trx) => {
      await deleteCustomers(trx, ledgerCustomerIds(trx));
      await clearLedger(trx);
    });
  } else if (await ledgerHasCustomers(db)) {
    throw new SeedBrokenOff('the sandbox bank has customers but no record of its seed: an earlier seed stopped before the end; seed again with --replace');
  }
  const passwords = await hashSeedPasswords();
  const limit = request.batchTransactions ?? DEFAULT_BATCH_TRANSACTIONS;
  let batch = emptyBatch();
  let written = 0;
  // On PostgreSQL one batch is written while the next is generated: the server inserts while this
  // process generates (a turn of the event loop after each unit lets the write's statements go).
  // Embedded PGlite inserts in this very thread, where the overlap only interleaves the two and is
  // slower than taking turns (bench/sandbox-seed: overlapped against serial, 0.86-0.91 on
  // PostgreSQL, 1.08-1.28 on PGlite).
  const overlap = !isEmbeddedStore(db);
  let writing: Promise<void> = Promise.resolve();
  const flush = async (full: SeedBatch) => {
    await writing;
    writing = writeBatch(db, full).then(() => {
      written += full.written;
      request.onProgress?.(written);
    });
    // Handled here so that a failure waits for the loop (or `finally`) to rethrow it, not the process's unhandled-rejection handler.
    writing.catch(() => undefined);
    if (!overlap) await writing;
  };
  try {
    for (const unit of generateBank(request)) {
      addUnit(batch, unit, passwords);
      if (overlap) await setImmediatePromise();
      if (batch.transactions.length < limit) continue;
      await flush(batch);
      batch = emptyBatch();
    }
    await flush(batch);
  } finally {
    await writing;
  }
  const record = { seed: request.seed, customers: request.customers, asOf: request.asOf };
  await insertBankRecord(db, record);
  return { seeded: true, record };
}
