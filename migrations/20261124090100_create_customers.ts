import type { Knex } from 'knex';

/** Bank customers who can log in at the authorization server (the sandbox's, or a bank's mirror). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (table) => {
    table.text('id').primary();
    table.text('username').notNullable().unique();
    table.text('password_hash').notNullable();
    table.text('display_name').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customers');
}
