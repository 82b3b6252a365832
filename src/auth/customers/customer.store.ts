import type { Knex } from 'knex';

export interface CustomerRow {
  id: string;
  username: string;
  password_hash: string;
  display_name: string;
}

export async function findCustomerByUsername(db: Knex, username: string): Promise<CustomerRow | undefined> {
  return db<CustomerRow>('customers').where({ username }).first();
}

export async function findCustomerById(db: Knex, id: string): Promise<CustomerRow | undefined> {
  return db<CustomerRow>('customers').where({ id }).first();
}

/** Inserts the customer, or leaves an existing one (same id) untouched: seeding is repeatable. */
export async function insertCustomerIfAbsent(db: Knex, row: CustomerRow): Promise<void> {
  await db('customers').insert(row).onConflict('id').ignore();
}

/** Inserts many customers in one statement, leaving any that exist (same id): a seed's batch. */
export async function insertCustomersIfAbsent(db: Knex, rows: readonly CustomerRow[]): Promise<void> {
  if (rows.length > 0) await db('customers').insert(rows).onConflict('id').ignore();
}

/** Deletes the customers whose ids a subquery selects (a sandbox bank being replaced). */
export async function deleteCustomers(db: Knex, ids: Knex.QueryBuilder): Promise<void> {
  await db('customers').whereIn('id', ids).delete();
}
