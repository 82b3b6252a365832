import { hash, verify } from '@node-rs/argon2';
import type { Knex } from 'knex';

import type { Authenticator, Customer } from '../sign-in/authenticator.ts';
import { OPEN_BANKING_ACR } from '../../openbanking/ob-vocabulary.ts';
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

/**
 * Whether `password` matches `passwordHash`; with no hash (nobody by that name) a decoy is checked
 * instead, so that the answer takes as long either way.
 */
export async function passwordMatches(passwordHash: string | undefined, password: string): Promise<boolean> {
  const matches = await verify(passwordHash ?? (await decoyHash), password);
  return passwordHash !== undefined && matches;
}

/**
 * Username and Argon2id-hashed password login over the `customers` table: one factor, so a right
 * password alone is customer authentication (`urn:openbanking:psd2:ca`, amr `pwd`). Whoever
 * builds the authenticator adds the second factor.
 */
export function passwordAuthenticator(db: Knex): Omit<Authenticator, 'secondFactor'> {
  return {
    async authenticate(username, password) {
      const row = await findCustomerByUsername(db, username);
      const matches = await passwordMatches(row?.password_hash, password);
      return row && matches ? { customer: toCustomer(row), acr: OPEN_BANKING_ACR.ca, amr: ['pwd'] } : undefined;
    },
    async findCustomer(id) {
      const row = await findCustomerById(db, id);
      return row ? toCustomer(row) : undefined;
    },
  };
}
