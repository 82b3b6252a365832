import type { Knex } from 'knex';

/**
 * The sandbox bank's ledger. Its resources are kept in the Read/Write API's own shapes (`body`,
 * OBAccount6, OBTransaction6, OBBeneficiary5, …) so that the bank core answers from them without a
 * mapping; the columns beside a body are the ones the bank core selects, orders or changes by.
 * Amounts it computes with are kept in minor units (1/100 of the currency unit) as bigints.
 */
export async function up(knex: Knex): Promise<void> {
  // One row: how the bank was generated, so that a restart with the same seed changes nothing.
  await knex.schema.createTable('sandbox_bank', (table) => {
    table.integer('id').primary();
    table.text('seed').notNullable();
    table.integer('customers').notNullable();
    table.timestamp('as_of', { useTz: true }).notNullable();
    table.timestamp('generated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // Customers themselves (sign-in) live in `customers`; this is the bank's view of them.
  await knex.schema.createTable('sandbox_customers', (table) => {
    table.text('customer_id').primary();
    table.text('kind').notNullable(); // personal | business
    // OBParty2 of the customer (GET /party).
    table.jsonb('party').notNullable();
  });
  await knex.schema.createTable('sandbox_accounts', (table) => {
    table.text('account_id').primary();
    table.text('currency').notNullable();
    // OBAccount6, with its Account (scheme, identification, name) and Servicer.
    table.jsonb('body').notNullable();
    // OBReadProduct2 Product of the account.
    table.jsonb('product').notNullable();
    table.bigint('booked_minor').notNullable(); // ClosingBooked / InterimBooked
    table.bigint('available_minor').notNullable(); // InterimAvailable (booked less pending debits)
    table.bigint('credit_line_minor'); // arranged overdraft or card limit, when there is one
    table.timestamp('balance_at', { useTz: true }).notNullable();
    // Sort code and account number, or IBAN: how a payment names its debtor account.
    table.text('scheme_name').notNullable();
    table.text('identification').notNullable();
    table.unique(['scheme_name', 'identification']);
  });
  // Who holds which account (a joint account has two holders), in the customer's own order.
  await knex.schema.createTable('sandbox_account_holders', (table) => {
    table.text('customer_id').notNullable().references('customer_id').inTable('sandbox_customers').onDelete('CASCADE');
    table.text('account_id').notNullable().references('account_id').inTable('sandbox_accounts').onDelete('CASCADE');
    table.integer('position').notNullable();
    table.primary(['customer_id', 'account_id']);
    table.index(['account_id']);
  });
  await knex.schema.createTable('sandbox_transactions', (table) => {
    table.text('transaction_id').primary();
    table.text('account_id').notNullable().references('account_id').inTable('sandbox_accounts').onDelete('CASCADE');
    table.timestamp('booking_at', { useTz: true }).notNullable();
    // Within one booking time, the order the ledger booked them (running balances follow it).
    table.bigint('sequence').notNullable();
    table.text('status').notNullable(); // Booked | Pending
    table.bigint('amount_minor').notNullable(); // signed: credits positive
    table.text('statement_id'); // the statement that lists it, once one is issued
    // OBTransaction6, with its running Balance.
    table.jsonb('body').notNullable();
    table.index(['account_id', 'booking_at', 'sequence']);
    table.index(['account_id', 'statement_id']);
  });
  // The other per-account lists, one kind each: beneficiary (OBBeneficiary5), direct-debit
  // (OBReadDirectDebit2 item), standing-order (OBStandingOrder6), scheduled-payment
  // (OBScheduledPayment3), statement (OBStatement2), party (OBParty2 of an account holder).
  await knex.schema.createTable('sandbox_account_resources', (table) => {
    table.text('account_id').notNullable().references('account_id').inTable('sandbox_accounts').onDelete('CASCADE');
    table.text('kind').notNullable();
    table.text('resource_id').notNullable();
    table.integer('position').notNullable();
    table.jsonb('body').notNullable();
    table.primary(['account_id', 'kind', 'resource_id']);
    table.index(['account_id', 'kind', 'position']);
  });
  await knex.raw("alter table sandbox_account_resources add constraint sandbox_account_resources_kind_check check (kind in ('beneficiary', 'direct-debit', 'standing-order', 'scheduled-payment', 'statement', 'party'))");
  // Payments the bank core made for the gateway's submissions (domestic, scheduled, standing order).
  await knex.schema.createTable('sandbox_payments', (table) => {
    table.text('payment_id').primary();
    table.text('kind').notNullable(); // domestic-payment | domestic-scheduled-payment | domestic-standing-order
    table.text('consent_id').notNullable().unique();
    table.text('account_id').notNullable().references('account_id').inTable('sandbox_accounts').onDelete('CASCADE');
    table.text('status').notNullable();
    table.timestamp('status_at', { useTz: true }).notNullable();
    // The answer's Data (OBWriteDomesticResponse5 Data, …), kept as first sent.
    table.jsonb('body').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['sandbox_payments', 'sandbox_account_resources', 'sandbox_transactions', 'sandbox_account_holders', 'sandbox_accounts', 'sandbox_customers', 'sandbox_bank']) {
    await knex.schema.dropTableIfExists(table);
  }
}
