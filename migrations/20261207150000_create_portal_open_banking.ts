import type { Knex } from 'knex';

/**
 * What the developer portal remembers of its partners' onboarding at the bank integration's
 * sandbox directory: each organisation's organisation there, and each application's software
 * statement with the registration the portal made with it (the client itself is the
 * application's `client_id`). No foreign key reaches the directory's own tables: they are the
 * sandbox's, absent from a production store.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('portal_directory_links', (table) => {
    table.text('organisation_id').primary().references('id').inTable('organisations').onDelete('CASCADE');
    table.text('directory_organisation_id').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('portal_software_statements', (table) => {
    table.text('application_id').primary().references('id').inTable('applications').onDelete('CASCADE');
    table.text('directory_organisation_id').notNullable();
    table.text('software_id').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    // Set while a registration is under way, so that a second one waits or is refused.
    table.timestamp('registering_since', { useTz: true });
    // The RFC 7592 client configuration endpoint and its access token (sealed), once registered.
    table.text('registration_client_uri');
    table.text('sealed_registration_access_token');
    table.timestamp('registered_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('portal_software_statements');
  await knex.schema.dropTableIfExists('portal_directory_links');
}
