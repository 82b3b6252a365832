import type { Knex } from 'knex';

/*
 * oidc-provider's `ReplayDetection` model: the hashed iss+jti of every client assertion
 * (RFC 7523 §3) and DPoP proof (RFC 9449 §11.1) seen, kept until that JWT could no longer be
 * accepted. Only presence matters, so there is no payload.
 */

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_replay', (table) => {
    table.text('id').primary();
    table.timestamp('expires_at', { useTz: true }).index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_replay');
}
