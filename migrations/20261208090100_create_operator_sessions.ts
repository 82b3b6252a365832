import type { Knex } from 'knex';

/**
 * Operators' console sessions, kept in the store (as the portal's are) so that signing out, or an
 * admin disabling an operator, ends them everywhere at once. The cookie holds a random token; the
 * store only its SHA-256. A session that has passed the password but not yet the second factor
 * says so (`second_factor` false) and opens no console page.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('operator_sessions', (table) => {
    table.text('token_hash').primary();
    table.text('operator_id').notNullable().references('id').inTable('operators').onDelete('CASCADE');
    table.boolean('second_factor').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    // Idle expiry, moved on as the operator uses the console; `created_at` bounds the whole session.
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.index(['operator_id']);
    table.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('operator_sessions');
}
