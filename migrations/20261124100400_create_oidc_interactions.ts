import type { Knex } from 'knex';

/*
 * oidc-provider's `Interaction` model: the short-lived state of one login/consent journey. Only
 * ever read by id, so nothing is copied out of `payload` (`json` for the reasons given in the
 * oidc_tokens migration; it holds raw authorization request parameters).
 */

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_interactions', (table) => {
    table.text('id').primary();
    table.json('payload').notNullable();
    table.timestamp('expires_at', { useTz: true }).index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_interactions');
}
