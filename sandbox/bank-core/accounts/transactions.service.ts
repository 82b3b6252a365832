import type { Knex } from 'knex';

import { badRequest } from '../../../src/openbanking/ob-error.ts';
import type { Paging } from '../ob-read-response.ts';
import type { AccountAccess } from './account-access.ts';
import { countTransactions, findTransactions, transactionsSpan, type TransactionFilter } from './ledger-reads.store.ts';
import type { ListQuery } from './list-query.ts';

/** Transactions per page: a year of a busy current account is a few pages. */
export const TRANSACTIONS_PER_PAGE = 100;

const later = (a: Date | undefined, b: Date | undefined) => (a && b ? (a > b ? a : b) : a ?? b);
const earlier = (a: Date | undefined, b: Date | undefined) => (a && b ? (a < b ? a : b) : a ?? b);

/** Refuses a page past the last (page 1 of an empty list is an empty page). */
export function checkPage(page: number, totalPages: number): void {
  if (page > totalPages) throw badRequest('UK.OBIE.Field.Invalid', `page must be from 1 to ${totalPages}`, 'page');
}

/**
 * One page of the accounts' transactions (of one statement, when named), newest first: booked
 * within the consent's transaction period and the request's booking dates, and only credits or
 * only debits when the consent's Permissions say so; with the span of all the consent lets the
 * partner see, whatever booking dates it asked for (Meta.FirstAvailableDateTime and
 * LastAvailableDateTime).
 */
export async function pageTransactions(db: Knex, access: AccountAccess, query: ListQuery, statementId?: string): Promise<{ list: Array<Record<string, unknown>>; paging: Paging }> {
  const from = later(access.period.from, query.from);
  const to = earlier(access.period.to, query.to);
  const consented: TransactionFilter = {
    accountIds: access.accountIds,
    ...(statementId !== undefined && { statementId }),
    ...(access.period.from && { from: access.period.from }),
    ...(access.period.to && { to: access.period.to }),
    credits: access.consent.permissions.has('ReadTransactionsCredits'),
    debits: access.consent.permissions.has('ReadTransactionsDebits'),
  };
  const filter: TransactionFilter = { ...consented, ...(from && { from }), ...(to && { to }) };
  const totalPages = Math.max(1, Math.ceil((await countTransactions(db, filter)) / TRANSACTIONS_PER_PAGE));
  checkPage(query.page, totalPages);
  const list = await findTransactions(db, filter, { offset: (query.page - 1) * TRANSACTIONS_PER_PAGE, limit: TRANSACTIONS_PER_PAGE });
  const available = await transactionsSpan(db, consented);
  return { list, paging: { page: query.page, totalPages, ...(available && { available }) } };
}
