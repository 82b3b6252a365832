import type { Knex } from 'knex';

/**
 * Who calls the APIs the gateway serves (DESIGN.md, domain model): organisations, their
 * applications (an OAuth client registered by DCR, or an API-key holder), and the applications'
 * API keys. A key is stored as its SHA-256 only (it carries 256 random bits, so a fast hash cannot
 * be brute-forced), with a short prefix kept in clear so that people can tell keys apart.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisations', (table) => {
    table.text('id').primary();
    table.text('name').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('applications', (table) => {
    table.text('id').primary();
    table.text('organisation_id').notNullable().references('id').inTable('organisations').onDelete('RESTRICT');
    table.text('name').notNullable();
    // The OAuth client behind it, for applications that call with tokens; absent for key holders.
    table.text('client_id').unique();
    table.text('status').notNullable().defaultTo('active');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['organisation_id']);
  });
  await knex.raw("alter table applications add constraint applications_status_check check (status in ('active', 'suspended'))");
  await knex.schema.createTable('api_keys', (table) => {
    table.text('id').primary();
    table.text('application_id').notNullable().references('id').inTable('applications').onDelete('CASCADE');
    // What people see of a key: its prefix, never the secret.
    table.text('prefix').notNullable();
    // SHA-256 of the whole key, base64url: what a presented key is looked up by.
    table.text('key_hash').notNullable().unique();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Set by a rotation: the old key keeps working until then, so callers can switch over.
    table.timestamp('expires_at', { useTz: true });
    table.timestamp('revoked_at', { useTz: true });
    table.index(['application_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_keys');
  await knex.schema.dropTable('applications');
  await knex.schema.dropTable('organisations');
}
