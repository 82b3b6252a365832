import type { Knex } from 'knex';

/**
 * Who each organisation is at the payment provider (a Stripe customer id, `cus_…`): the push sends
 * an organisation's lines to its customer. An organisation without one is not pushed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('billing_customers', (table) => {
    table.text('organisation_id').primary().references('id').inTable('organisations').onDelete('CASCADE');
    table.text('customer_id').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('billing_customers');
}
