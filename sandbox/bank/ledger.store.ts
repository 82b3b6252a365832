import type { Knex } from 'knex';

import type { AccountRow, ResourceRow, TransactionRow } from './generate/bank-unit.ts';

/*
 * Writes of the sandbox ledger, in multi-row inserts of `ROWS_PER_INSERT` rows: measured against
 * one json_to_recordset statement per table, COPY from a blob (PGlite) and literal VALUES, plain
 * bound inserts of about a thousand rows were the fastest on PGlite and fast on PostgreSQL, and
 * stay far below PostgreSQL's 65,535 bind parameters.
 */

/** The ledger's rows of a batch of customers (their sign-in rows are the customer store's). */
export interface LedgerBatch {
  customers: { customer_id: string; kind: string; party: object }[];
  accounts: AccountRow[];
  holders: { customer_id: string; account_id: string; position: number }[];
  transactions: TransactionRow[];
  resources: ResourceRow[];
}

const ROWS_PER_INSERT = 1_000;

// jsonb columns go as JSON text: node-postgres would send a JavaScript array as a PostgreSQL array.
const JSON_COLUMNS = new Set(['party', 'body', 'product']);

async function insertRows(db: Knex, table: string, rows: readonly object[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT).map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, JSON_COLUMNS.has(column) ? JSON.stringify(value) : value])));
    await db(table).insert(chunk);
  }
}

/** Writes a batch; the caller holds the transaction it goes in. Holders after both their ends. */
export async function insertLedgerBatch(db: Knex, batch: LedgerBatch): Promise<void> {
  await insertRows(db, 'sandbox_customers', batch.customers);
  await insertRows(db, 'sandbox_accounts', batch.accounts);
  await insertRows(db, 'sandbox_account_holders', batch.holders);
  await insertRows(db, 'sandbox_transactions', batch.transactions);
  await insertRows(db, 'sandbox_account_resources', batch.resources);
}

/** How a bank was generated: its one `sandbox_bank` row. */
export interface BankRecord {
  seed: string;
  customers: number;
  asOf: string;
}

export async function findBankRecord(db: Knex): Promise<BankRecord | undefined> {
  const row = await db('sandbox_bank').where({ id: 1 }).first<{ seed: string; customers: number; as_of: Date } | undefined>();
  return row && { seed: row.seed, customers: row.customers, asOf: new Date(row.as_of).toISOString().slice(0, 10) };
}

export async function insertBankRecord(db: Knex, record: BankRecord): Promise<void> {
  await db('sandbox_bank').insert({ id: 1, seed: record.seed, customers: record.customers, as_of: `${record.asOf}T00:00:00Z` });
}

/** Takes the bank's seeding lock until the transaction `trx` ends: two servers starting on one empty store seed it once. */
export async function lockBankForSeeding(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtext('portcullis.sandbox_bank.' || current_schema()))`);
}

/** Whether the ledger holds any customer: a bank without its record is one whose seed broke off. */
export async function ledgerHasCustomers(db: Knex): Promise<boolean> {
  return (await db('sandbox_customers').first('customer_id')) !== undefined;
}

/** The ids of the ledger's customers, as a subquery (their sign-in rows go with the bank). */
export function ledgerCustomerIds(db: Knex): Knex.QueryBuilder {
  return db('sandbox_customers').select('customer_id');
}

/** Empties the ledger, the bank core's payments with it. */
export async function clearLedger(db: Knex): Promise<void> {
  await db.raw('truncate sandbox_account_resources, sandbox_transactions, sandbox_account_holders, sandbox_payments, sandbox_accounts, sandbox_customers, sandbox_bank');
}
