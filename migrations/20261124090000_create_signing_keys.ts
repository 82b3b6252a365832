import type { Knex } from 'knex';

/**
 * The authorization server's signing keys. Private parts are stored encrypted (AES-256-GCM with
 * the configured key-encryption key); a retired key stays published until `retired_at` plus the
 * grace period, so that what it signed can still be verified.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signing_keys', (table) => {
    table.text('kid').primary();
    table.text('alg').notNullable();
    table.jsonb('public_jwk').notNullable();
    table.text('private_jwk_encrypted').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('retired_at', { useTz: true });
    table.index(['alg', 'retired_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('signing_keys');
}
