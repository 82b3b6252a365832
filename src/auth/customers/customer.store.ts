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
