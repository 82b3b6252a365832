import type { Knex } from 'knex';

/*
 * oidc-provider's `PushedAuthorizationRequest` model (RFC 9126): a request_uri is used once
 * (`consumed_at`, RFC 9126 §4) and expires quickly. There is no client_id column: the model's
 * payload does not carry one (the client is inside the stored request object).
 */

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_pushed_requests', (table) => {
    table.text('id').primary();
    table.json('payload').notNullable();
    table.timestamp('expires_at', { useTz: true }).index();
    table.timestamp('consumed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_pushed_requests');
}
