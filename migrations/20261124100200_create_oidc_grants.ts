import type { Knex } from 'knex';

/*
 * oidc-provider's `Grant` model: what an account allowed a client. account_id is indexed so a
 * customer's grants can be listed and revoked (Open Banking access dashboards). `payload` is
 * `json` for the reasons given in the oidc_tokens migration.
 */

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_grants', (table) => {
    table.text('id').primary();
    table.text('account_id').index();
    table.text('client_id');
    table.json('payload').notNullable();
    table.timestamp('expires_at', { useTz: true }).index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_grants');
}
