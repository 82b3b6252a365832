import type { Knex } from 'knex';

import { findCustomerById, insertCustomerIfAbsent } from '../src/auth/customers/customer.store.ts';
import { hashPassword } from '../src/auth/customers/password-authenticator.ts';

/**
 * The sandbox bank's customers. Deterministic, public test logins: they exist so that a partner
 * can complete a flow in minutes, and are never seeded outside development and test.
 */
export const SANDBOX_CUSTOMERS = [
  { id: 'cust-0001', username: 'alice', password: 'alice-sandbox-pass', displayName: 'Alice Carter' },
  { id: 'cust-0002', username: 'bob', password: 'bob-sandbox-pass', displayName: 'Bob Mensah' },
] as const;

/** Inserts the sandbox customers that are not there yet (hashing only those: Argon2 is slow on purpose). */
export async function seedSandboxCustomers(db: Knex): Promise<void> {
  for (const customer of SANDBOX_CUSTOMERS) {
    if (await findCustomerById(db, customer.id)) continue;
    await insertCustomerIfAbsent(db, {
      id: customer.id,
      username: customer.username,
      password_hash: await hashPassword(customer.password),
      display_name: customer.displayName,
    });
  }
}
