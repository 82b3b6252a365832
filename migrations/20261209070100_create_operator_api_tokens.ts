import type { Knex } from 'knex';

/**
 * Operators' personal tokens for the admin API: each acts as its operator, with their role at the
 * time of the call. Shown once; the store keeps the SHA-256 of the token and its first characters
 * (for the operator to tell tokens apart). Every token expires; a revoked one stays, for the audit.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('operator_api_tokens', (table) => {
    table.text('id').primary();
    table.text('operator_id').notNullable().references('id').inTable('operators').onDelete('CASCADE');
    table.text('name').notNullable();
    table.text('prefix').notNullable();
    table.text('token_hash').notNullable().unique();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('last_used_at', { useTz: true });
    table.timestamp('revoked_at', { useTz: true });
    table.index(['operator_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('operator_api_tokens');
}
