import type { Knex } from 'knex';

/**
 * The developer portal's accounts: developers who signed up with an email address and a password
 * (Argon2id), their single-use email tokens (stored as SHA-256 hashes, like API keys), and the
 * development outbox, where mail goes when no mail server is configured.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('portal_developers', (table) => {
    table.text('id').primary();
    // As typed, for mail; `email_key` (lower case) is what makes an address one account.
    table.text('email').notNullable();
    table.text('email_key').notNullable().unique();
    table.text('name').notNullable();
    table.text('password_hash').notNullable();
    table.timestamp('email_verified_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('portal_email_tokens', (table) => {
    table.text('token_hash').primary();
    table.text('developer_id').notNullable().references('id').inTable('portal_developers').onDelete('CASCADE');
    table.text('purpose').notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('used_at', { useTz: true });
    table.index(['developer_id']);
  });
  await knex.schema.createTable('portal_outbox', (table) => {
    table.bigIncrements('id');
    table.text('recipient').notNullable();
    table.text('subject').notNullable();
    table.text('body').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['portal_outbox', 'portal_email_tokens', 'portal_developers']) await knex.schema.dropTableIfExists(table);
}
