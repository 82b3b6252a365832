import type { Knex } from 'knex';

import { openStore } from '../../src/db/knex.ts';
import { migrateSandboxBank } from '../../sandbox/bank/migrate-sandbox-bank.ts';
import { createIsolatedSchema } from './isolated-store.ts';

/*
 * A small sandbox ledger for the bank core's tests, written straight to its tables in the shapes
 * the generator writes (OB bodies beside the columns the bank core selects by): Alice with her two
 * accounts of `sandbox/accounts.ts` and Bob with his. Alice's current account has an overdraft,
 * `TRANSACTION_COUNT` booked transactions a day apart (credits and debits in turn, running balances
 * that add up), one statement listing the first 40 of them, and one of every other resource.
 */

export const LEDGER = {
  alice: 'cust-0001', bob: 'cust-0002',
  current: 'acc-0001-current', savings: 'acc-0001-savings', bobs: 'acc-0002-current',
  statement: 'stmt-0001-current-1',
} as const;

/** Alice's current account: the oldest transaction is booked at `FIRST_BOOKING`, each next one a day later. */
export const TRANSACTION_COUNT = 230;
export const FIRST_BOOKING = new Date('2026-01-01T09:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
/** Alice's current account's booked (and available) balance, in pence, and its overdraft. */
export const CURRENT_BALANCE_MINOR = 125075n;
export const CURRENT_OVERDRAFT_MINOR = 50000n;

export interface SandboxLedger {
  db: Knex;
  close(): Promise<void>;
}

/** A store with the sandbox bank's tables only, no other test file's: PGlite in memory, or a PostgreSQL schema of its own. */
export async function openSandboxLedger(): Promise<SandboxLedger> {
  const shared = process.env.DATABASE_URL;
  const schema = shared ? await createIsolatedSchema(shared) : undefined;
  const db = openStore(schema ? { databaseUrl: schema.databaseUrl } : { pgliteDir: 'memory://' });
  await migrateSandboxBank(db);
  await seedLedger(db);
  return {
    db,
    async close() {
      await db.destroy();
      await schema?.drop();
    },
  };
}

const sortCode = (identification: string, name: string) => ({ SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: identification, Name: name });
const SERVICER = { SchemeName: 'UK.OBIE.BICFI', Identification: 'PCBKGB2L' };
const gbp = (amount: string) => ({ Amount: amount, Currency: 'GBP' });
const pounds = (minor: bigint) => `${(minor < 0n ? -minor : minor) / 100n}.${String((minor < 0n ? -minor : minor) % 100n).padStart(2, '0')}`;

function account(accountId: string, identification: string, name: string, nickname: string, subType: string, booked: bigint, creditLine: bigint | null) {
  return {
    account_id: accountId, currency: 'GBP', scheme_name: 'UK.OBIE.SortCodeAccountNumber', identification,
    booked_minor: String(booked), available_minor: String(booked), credit_line_minor: creditLine === null ? null : String(creditLine), balance_at: new Date('2026-09-01T00:00:00Z'),
    body: JSON.stringify({ AccountId: accountId, Currency: 'GBP', AccountType: 'Personal', AccountSubType: subType, Nickname: nickname, Account: [sortCode(identification, name)], Servicer: SERVICER }),
    product: JSON.stringify({ AccountId: accountId, ProductId: `prod-${subType}`, ProductName: subType === 'Savings' ? 'Easy saver' : 'Everyday current account', ProductType: subType === 'Savings' ? 'Other' : 'PersonalCurrentAccount' }),
  };
}

/** Alice's current account's transactions, oldest first; each amount alternates credit 20.00 and debit 12.50, ending at the booked balance. */
function transactions() {
  const amounts = Array.from({ length: TRANSACTION_COUNT }, (_, index) => (index % 2 === 0 ? 2000n : -1250n));
  let balance = CURRENT_BALANCE_MINOR - amounts.reduce((sum, amount) => sum + amount, 0n);
  return amounts.map((amount, index) => {
    balance += amount;
    const transactionId = `tx-current-${String(index).padStart(4, '0')}`;
    const bookingAt = new Date(FIRST_BOOKING.getTime() + index * DAY_MS);
    const credit = amount > 0n;
    return {
      transaction_id: transactionId, account_id: LEDGER.current, booking_at: bookingAt, sequence: 0, status: 'Booked', amount_minor: String(amount),
      statement_id: index < 40 ? LEDGER.statement : null,
      body: JSON.stringify({
        AccountId: LEDGER.current, TransactionId: transactionId, CreditDebitIndicator: credit ? 'Credit' : 'Debit', Status: 'Booked', BookingDateTime: bookingAt.toISOString(),
        Amount: gbp(pounds(amount)), TransactionInformation: credit ? 'Transfer from savings' : 'Card payment, Fresco Foods',
        ...(credit ? { DebtorAccount: sortCode('04000487654321', 'Alice Carter') } : { MerchantDetails: { MerchantName: 'Fresco Foods', MerchantCategoryCode: '5411' } }),
        Balance: { CreditDebitIndicator: 'Credit', Type: 'InterimBooked', Amount: gbp(pounds(balance)) },
      }),
    };
  });
}

const party = (partyId: string, name: string) => ({ PartyId: partyId, PartyType: 'Sole', Name: name, EmailAddress: `${name.split(' ')[0]!.toLowerCase()}@example.com` });
const creditor = sortCode('08080021325698', 'ACME Energy Ltd');

function resources() {
  // OBParty2 alone names no account.
  const resource = (kind: string, resourceId: string, body: Record<string, unknown>) => ({
    account_id: LEDGER.current, kind, resource_id: resourceId, position: 0, body: JSON.stringify(kind === 'party' ? body : { AccountId: LEDGER.current, ...body }),
  });
  return [
    resource('beneficiary', 'ben-1', { BeneficiaryId: 'ben-1', BeneficiaryType: 'Trusted', Reference: 'Energy bill', CreditorAccount: creditor }),
    resource('direct-debit', 'dd-1', { DirectDebitId: 'dd-1', MandateIdentification: 'ACME-0042', DirectDebitStatusCode: 'Active', Name: 'ACME Energy', PreviousPaymentAmount: gbp('64.00') }),
    resource('standing-order', 'so-1', { StandingOrderId: 'so-1', Frequency: 'IntrvlMnthDay:01:01', Reference: 'Rent', FirstPaymentDateTime: '2026-01-01T00:00:00Z', StandingOrderStatusCode: 'Active', FirstPaymentAmount: gbp('750.00'), CreditorAccount: creditor }),
    resource('scheduled-payment', 'sp-1', { ScheduledPaymentId: 'sp-1', ScheduledPaymentDateTime: '2026-10-01T00:00:00Z', ScheduledType: 'Execution', InstructedAmount: gbp('30.00'), CreditorAccount: creditor }),
    resource('statement', LEDGER.statement, {
      StatementId: LEDGER.statement, Type: 'RegularPeriodic', StartDateTime: '2026-01-01T00:00:00Z', EndDateTime: '2026-02-09T23:59:59Z', CreationDateTime: '2026-02-10T06:00:00Z',
      StatementAmount: [{ CreditDebitIndicator: 'Credit', Type: 'ClosingBalance', Amount: gbp('1250.75') }],
    }),
    resource('party', 'party-alice', party('party-alice', 'Alice Carter')),
  ];
}

/** Writes the fixture ledger into `db`. */
export async function seedLedger(db: Knex): Promise<void> {
  await db('sandbox_customers').insert([
    { customer_id: LEDGER.alice, kind: 'personal', party: JSON.stringify(party('party-alice', 'Alice Carter')) },
    { customer_id: LEDGER.bob, kind: 'personal', party: JSON.stringify(party('party-bob', 'Bob Mensah')) },
  ]);
  await db('sandbox_accounts').insert([
    account(LEDGER.current, '04000412345678', 'Alice Carter', 'Everyday account', 'CurrentAccount', CURRENT_BALANCE_MINOR, CURRENT_OVERDRAFT_MINOR),
    account(LEDGER.savings, '04000487654321', 'Alice Carter', 'Rainy day savings', 'Savings', 840000n, null),
    account(LEDGER.bobs, '04000455501234', 'Bob Mensah', 'Current account', 'CurrentAccount', 4210n, null),
  ]);
  await db('sandbox_account_holders').insert([
    { customer_id: LEDGER.alice, account_id: LEDGER.current, position: 0 },
    { customer_id: LEDGER.alice, account_id: LEDGER.savings, position: 1 },
    { customer_id: LEDGER.bob, account_id: LEDGER.bobs, position: 0 },
  ]);
  await db.batchInsert('sandbox_transactions', transactions(), 100);
  await db('sandbox_account_resources').insert(resources());
}
