import type { Knex } from 'knex';

/** An account of the ledger as the consent pages see it: who may share or pay from it, and how much is there. */
export interface HeldAccountRow {
  account_id: string;
  scheme_name: string;
  identification: string;
  currency: string;
  available_minor: string | number | bigint;
  name: string;
  nickname: string;
}

function heldAccounts(db: Knex, customerId: string): Knex.QueryBuilder {
  return db('sandbox_account_holders as holder')
    .join('sandbox_accounts as account', 'account.account_id', 'holder.account_id')
    .where('holder.customer_id', customerId)
    .select('account.account_id', 'account.scheme_name', 'account.identification', 'account.currency', 'account.available_minor', db.raw(`account.body->'Account'->0->>'Name' as name`), db.raw(`account.body->>'Nickname' as nickname`));
}

/** The customer's accounts (their own and joint ones), in their order. */
export async function listHeldAccounts(db: Knex, customerId: string): Promise<HeldAccountRow[]> {
  return heldAccounts(db, customerId).orderBy('holder.position');
}

/** The customer's account with this scheme and identification, if they hold it. */
export async function findHeldAccount(db: Knex, customerId: string, schemeName: string, identification: string): Promise<HeldAccountRow | undefined> {
  return heldAccounts(db, customerId).where({ 'account.scheme_name': schemeName, 'account.identification': identification }).first();
}
