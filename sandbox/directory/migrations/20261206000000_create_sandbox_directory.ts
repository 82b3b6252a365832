import type { Knex } from 'knex';

/**
 * The sandbox directory's register: partner organisations that signed up (their bearer token kept
 * only as a hash) and the software statements they created, with the public material the bundle
 * carries in clear and the private keys sealed (`sealed_keys`, see `software-keys-seal.ts`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sandbox_directory_organisations', (table) => {
    table.text('org_id').primary();
    table.text('name').notNullable();
    table.text('contact_email').notNullable();
    // SHA-256 of the organisation's bearer token, base64url: the token itself is shown once.
    table.text('token_hash').notNullable().unique();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('sandbox_directory_software', (table) => {
    table.text('software_id').primary();
    table.text('org_id').notNullable().references('org_id').inTable('sandbox_directory_organisations').onDelete('CASCADE');
    table.text('client_name').notNullable();
    table.jsonb('roles').notNullable();
    table.jsonb('redirect_uris').notNullable();
    table.text('logo_uri');
    // The signed SSA, the transport certificate (PEM) and the public signing JWKS.
    table.text('software_statement').notNullable();
    table.text('transport_certificate').notNullable();
    table.jsonb('signing_jwks').notNullable();
    table.text('sealed_keys').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['org_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sandbox_directory_software');
  await knex.schema.dropTableIfExists('sandbox_directory_organisations');
}
