import type { ParsedUrlQuery } from 'node:querystring';

import type { Knex } from 'knex';

import { ObError } from '../../../src/openbanking/ob-error.ts';
import type { Paging } from '../ob-read-response.ts';
import type { AccountAccess } from './account-access.ts';
import { accountBalances } from './balances.ts';
import { findAccountResources, findAccounts, findCustomerParty, type ResourceKind } from './ledger-reads.store.ts';
import { readListQuery } from './list-query.ts';
import { checkPage, pageTransactions } from './transactions.service.ts';

/** One account information read, once its access is settled. */
export interface AccountRead {
  access: AccountAccess;
  params: Readonly<Record<string, string>>;
  query: ParsedUrlQuery;
}

/** A read's `Data` (keyed as the resource's spec names it), and its page when it is paged. */
export type AccountReader = (db: Knex, read: AccountRead) => Promise<{ data: Record<string, unknown>; paging?: Paging }>;

const notFound = (Message: string) => new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message }]);
// Documented as not offered (README): the sandbox bank makes no offers and no statement files.
const notOffered: AccountReader = async () => {
  throw notFound('This bank does not offer this resource');
};

/** A plain list: no query but page 1. */
function unpaged(read: AccountRead): void {
  checkPage(readListQuery(read.query).page, 1);
}

function resources(kind: ResourceKind, dataKey: string): AccountReader {
  return async (db, read) => {
    unpaged(read);
    return { data: { [dataKey]: await findAccountResources(db, read.access.accountIds, kind) } };
  };
}

const accounts: AccountReader = async (db, read) => {
  unpaged(read);
  return { data: { Account: (await findAccounts(db, read.access.accountIds)).map((account) => account.body) } };
};

const balances: AccountReader = async (db, read) => {
  unpaged(read);
  return { data: { Balance: (await findAccounts(db, read.access.accountIds)).flatMap(accountBalances) } };
};

const products: AccountReader = async (db, read) => {
  unpaged(read);
  return { data: { Product: (await findAccounts(db, read.access.accountIds)).map((account) => account.product) } };
};

const transactions: AccountReader = async (db, read) => {
  const { list, paging } = await pageTransactions(db, read.access, readListQuery(read.query, ['fromBookingDateTime', 'toBookingDateTime']));
  return { data: { Transaction: list }, paging };
};

// Statements overlapping the requested statement dates.
const statements: AccountReader = async (db, read) => {
  const { from, to, page } = readListQuery(read.query, ['fromStatementDateTime', 'toStatementDateTime']);
  checkPage(page, 1);
  const all = await findAccountResources(db, read.access.accountIds, 'statement');
  const kept = all.filter((statement) => (!from || new Date(statement['EndDateTime'] as string) >= from) && (!to || new Date(statement['StartDateTime'] as string) <= to));
  return { data: { Statement: kept } };
};

async function statementOf(db: Knex, read: AccountRead): Promise<Record<string, unknown>> {
  const [statement] = await findAccountResources(db, read.access.accountIds, 'statement', read.params['StatementId']);
  if (!statement) throw notFound(`No statement ${read.params['StatementId']} exists for this account`);
  return statement;
}

const statement: AccountReader = async (db, read) => {
  unpaged(read);
  return { data: { Statement: [await statementOf(db, read)] } };
};

const statementTransactions: AccountReader = async (db, read) => {
  const query = readListQuery(read.query);
  await statementOf(db, read);
  const { list, paging } = await pageTransactions(db, read.access, query, read.params['StatementId']);
  return { data: { Transaction: list }, paging };
};

// The PSU's own party: the customer who granted the consent.
const customerParty: AccountReader = async (db, read) => {
  unpaged(read);
  const party = read.access.customerId === undefined ? undefined : await findCustomerParty(db, read.access.customerId);
  if (!party) throw notFound('This bank holds no party for the customer');
  return { data: { Party: party } };
};

// The account's first holder.
const accountParty: AccountReader = async (db, read) => {
  unpaged(read);
  const [party] = await findAccountResources(db, read.access.accountIds, 'party');
  if (!party) throw notFound('This bank holds no party for the account');
  return { data: { Party: party } };
};

function both(template: string, reader: AccountReader): Array<[string, AccountReader]> {
  return [[`/accounts/{AccountId}${template}`, reader], [template, reader]];
}

/** How each account information resource is read, by its path template (those of `OB_ACCOUNT_RESOURCES`). */
export const ACCOUNT_READERS: ReadonlyMap<string, AccountReader> = new Map([
  ['/accounts', accounts],
  ['/accounts/{AccountId}', accounts],
  ['/party', customerParty],
  ['/accounts/{AccountId}/party', accountParty],
  ['/accounts/{AccountId}/parties', resources('party', 'Party')],
  ['/products', products],
  ['/accounts/{AccountId}/product', products],
  ['/accounts/{AccountId}/statements/{StatementId}', statement],
  ['/accounts/{AccountId}/statements/{StatementId}/file', notOffered],
  ['/accounts/{AccountId}/statements/{StatementId}/transactions', statementTransactions],
  ...both('/balances', balances),
  ...both('/beneficiaries', resources('beneficiary', 'Beneficiary')),
  ...both('/direct-debits', resources('direct-debit', 'DirectDebit')),
  ...both('/offers', notOffered),
  ...both('/scheduled-payments', resources('scheduled-payment', 'ScheduledPayment')),
  ...both('/standing-orders', resources('standing-order', 'StandingOrder')),
  ...both('/statements', statements),
  ...both('/transactions', transactions),
]);
