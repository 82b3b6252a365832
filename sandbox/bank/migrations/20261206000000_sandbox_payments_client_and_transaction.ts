import type { Knex } from 'knex';

/**
 * What the bank core needs of a payment beyond its answer: the partner that made it (a payment is
 * read back only by its own partner, as the gateway checks too), and the ledger transaction that
 * debited the account (none for a rejected payment, a scheduled one or a standing order), which
 * settles with it; and why a payment was refused (`insufficient-funds` or `rejected`), for its
 * payment details.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sandbox_payments', (table) => {
    table.text('client_id');
    table.text('transaction_id').references('transaction_id').inTable('sandbox_transactions').onDelete('SET NULL');
    table.text('refusal');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sandbox_payments', (table) => {
    table.dropColumn('refusal');
    table.dropColumn('transaction_id');
    table.dropColumn('client_id');
  });
}
