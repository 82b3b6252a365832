import type { Knex } from 'knex';

/*
 * The ledger as the account information endpoints read it: resources kept in the Read/Write API's
 * shapes (`body`), selected by the columns beside them. Lists come in the order of the account ids
 * asked for (the customer's own order, as the consent holds it), then the ledger's.
 */

export interface AccountRow {
  account_id: string;
  currency: string;
  body: Record<string, unknown>;
  product: Record<string, unknown>;
  booked_minor: string | number | bigint;
  available_minor: string | number | bigint;
  credit_line_minor: string | number | bigint | null;
  balance_at: Date;
  scheme_name: string;
  identification: string;
}

export type ResourceKind = 'beneficiary' | 'direct-debit' | 'standing-order' | 'scheduled-payment' | 'statement' | 'party';

/** Which transactions a list shows: always of some accounts, perhaps of one statement, within a period, credits and/or debits. */
export interface TransactionFilter {
  accountIds: readonly string[];
  statementId?: string;
  from?: Date;
  to?: Date;
  credits: boolean;
  debits: boolean;
}

const inOrder = <T extends { account_id: string }>(rows: T[], accountIds: readonly string[]) =>
  [...rows].sort((a, b) => accountIds.indexOf(a.account_id) - accountIds.indexOf(b.account_id));

/** The accounts of these ids the ledger holds, in the order asked for. */
export async function findAccounts(db: Knex, accountIds: readonly string[]): Promise<AccountRow[]> {
  return inOrder(await db<AccountRow>('sandbox_accounts').whereIn('account_id', accountIds), accountIds);
}

/** The bodies of one kind of per-account resource; `resourceId` picks one. */
export async function findAccountResources(db: Knex, accountIds: readonly string[], kind: ResourceKind, resourceId?: string): Promise<Array<Record<string, unknown>>> {
  const query = db('sandbox_account_resources').whereIn('account_id', accountIds).andWhere({ kind }).orderBy('position');
  if (resourceId !== undefined) query.andWhere({ resource_id: resourceId });
  const rows = (await query) as Array<{ account_id: string; body: Record<string, unknown> }>;
  return inOrder(rows, accountIds).map((row) => row.body);
}

/** The customer's own OBParty2. */
export async function findCustomerParty(db: Knex, customerId: string): Promise<Record<string, unknown> | undefined> {
  const row = (await db('sandbox_customers').where({ customer_id: customerId }).first('party')) as { party: Record<string, unknown> } | undefined;
  return row?.party;
}

function filtered(db: Knex, filter: TransactionFilter): Knex.QueryBuilder {
  const query = db('sandbox_transactions').whereIn('account_id', filter.accountIds);
  if (filter.statementId !== undefined) query.andWhere({ statement_id: filter.statementId });
  if (filter.from) query.andWhere('booking_at', '>=', filter.from);
  if (filter.to) query.andWhere('booking_at', '<=', filter.to);
  if (!filter.credits) query.andWhere('amount_minor', '<', 0);
  if (!filter.debits) query.andWhere('amount_minor', '>=', 0);
  return query;
}

/** How many transactions the filter keeps, for the number of pages. */
export async function countTransactions(db: Knex, filter: TransactionFilter): Promise<number> {
  const row = (await filtered(db, filter).count({ count: '*' }).first()) as { count: string | number };
  return Number(row.count);
}

/** When the first and the last transactions the filter keeps were booked; undefined when it keeps none. */
export async function transactionsSpan(db: Knex, filter: TransactionFilter): Promise<{ first: Date; last: Date } | undefined> {
  const row = (await filtered(db, filter).min({ first: 'booking_at' }).max({ last: 'booking_at' }).first()) as { first: Date | string | null; last: Date | string | null } | undefined;
  return row?.first && row.last ? { first: new Date(row.first), last: new Date(row.last) } : undefined;
}

/** One page of OBTransaction6 bodies, newest first. */
export async function findTransactions(db: Knex, filter: TransactionFilter, page: { offset: number; limit: number }): Promise<Array<Record<string, unknown>>> {
  const rows = (await filtered(db, filter)
    .orderBy([{ column: 'booking_at', order: 'desc' }, { column: 'sequence', order: 'desc' }, { column: 'transaction_id', order: 'asc' }])
    .offset(page.offset).limit(page.limit).select('body')) as Array<{ body: Record<string, unknown> }>;
  return rows.map((row) => row.body);
}
