import type { Knex } from 'knex';

/**
 * Developers' portal sessions, kept in the store rather than in a sealed cookie: a developer who
 * signs out, or resets a forgotten password, must be able to end every session at once, which a
 * self-contained cookie cannot do. The cookie holds a random token; the store only its SHA-256.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('portal_sessions', (table) => {
    table.text('token_hash').primary();
    table.text('developer_id').notNullable().references('id').inTable('portal_developers').onDelete('CASCADE');
    table.timestamp('created_at', { useTz: true }).notNullable();
    // Idle expiry, moved on as the developer uses the portal; `created_at` bounds the whole session.
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.index(['developer_id']);
    table.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('portal_sessions');
}
