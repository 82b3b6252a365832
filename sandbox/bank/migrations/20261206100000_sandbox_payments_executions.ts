import type { Knex } from 'knex';

/**
 * Scheduled payments and standing orders pay when their day comes: `next_execution_at` is when a
 * payment next debits its account (a scheduled payment's requested date; a standing order's next
 * payment; null once it has nothing left to pay), `executions` how many payments it has made.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sandbox_payments', (table) => {
    table.timestamp('next_execution_at', { useTz: true });
    table.integer('executions').notNullable().defaultTo(0);
    table.index(['account_id', 'next_execution_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sandbox_payments', (table) => {
    table.dropIndex(['account_id', 'next_execution_at']);
    table.dropColumn('executions');
    table.dropColumn('next_execution_at');
  });
}
