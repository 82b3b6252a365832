import type { Knex } from 'knex';

/*
 * Dynamically registered clients (oidc-provider's `Client` model; RFC 7591 / OBIE DCR). Static
 * clients from the provider config never reach the adapter.
 *
 * `metadata` is `json`, not `jsonb`: jsonb rejects the escape `\u0000`, so one registration
 * request with a NUL in a free-text field (client_name, ...) would fail as a 500 instead of being
 * stored as sent. `software_id` is copied out of the metadata because Open Banking identifies a
 * TPP's registrations by the software statement's software_id (e.g. to find them when the
 * directory revokes it).
 */

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_clients', (table) => {
    table.text('client_id').primary();
    table.json('metadata').notNullable();
    table.text('software_id').index();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_clients');
}
