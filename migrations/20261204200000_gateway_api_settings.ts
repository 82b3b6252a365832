import type { Knex } from 'knex';

/**
 * What an API needs beyond its columns, and which APIs a plan covers: an API's authentication
 * settings (an `oauth2` API's issuer, JWKS URL and audience; an `api-key` API's header), CORS
 * origins and audit mode live in `settings`; a plan is a tier of a product, one or more APIs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('gateway_apis', (table) => {
    table.jsonb('settings').notNullable().defaultTo('{}');
  });
  await knex.schema.createTable('gateway_plan_apis', (table) => {
    table.text('plan_id').notNullable().references('id').inTable('gateway_plans').onDelete('CASCADE');
    table.text('api_id').notNullable().references('id').inTable('gateway_apis').onDelete('CASCADE');
    table.primary(['plan_id', 'api_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('gateway_plan_apis');
  await knex.schema.alterTable('gateway_apis', (table) => {
    table.dropColumn('settings');
  });
}
