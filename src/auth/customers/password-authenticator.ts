import { hash, verify } from '@node-rs/argon2';
import type { Knex } from 'knex';

import type { Authenticator, Customer } from '../interactions/authenticator.ts';
import { findCustomerById, findCustomerByUsername, type CustomerRow } from './customer.store.ts';

// Verified against when the username is unknown, so that a miss costs as long as a hit and
// response times do not reveal which usernames exist.
const decoyHash = hash('portcullis-decoy-password');

function toCustomer(row: CustomerRow): Customer {
  return { id: row.id, displayName: row.display_name };
}

/** Hashes a password with Argon2id (the library's OWASP-aligned defaults). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Username and Argon2id-hashed password login over the `customers` table. */
export function passwordAuthenticator(db: Knex): Authenticator {
  return {
    async authenticate(username, password) {
      const row = await findCustomerByUsername(db, username);
      const matches = await verify(row?.password_hash ?? (await decoyHash), password);
      return row && matches ? toCustomer(row) : undefined;
    },
    async findCustomer(id) {
      const row = await findCustomerById(db, id);
      return row ? toCustomer(row) : undefined;
    },
  };
}
