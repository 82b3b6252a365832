import type { Knex } from 'knex';

/**
 * Who may act for an organisation in the developer portal: its members (developers, each an
 * `owner` or a `developer`), and invitations mailed to people who are not members yet (single use,
 * stored as the SHA-256 of the mailed token, for one address).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisation_members', (table) => {
    table.text('organisation_id').notNullable().references('id').inTable('organisations').onDelete('CASCADE');
    table.text('developer_id').notNullable().references('id').inTable('portal_developers').onDelete('CASCADE');
    table.text('role').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['organisation_id', 'developer_id']);
    table.index(['developer_id']);
  });
  await knex.raw("alter table organisation_members add constraint organisation_members_role_check check (role in ('owner', 'developer'))");
  await knex.schema.createTable('organisation_invitations', (table) => {
    table.text('id').primary();
    table.text('token_hash').notNullable().unique();
    table.text('organisation_id').notNullable().references('id').inTable('organisations').onDelete('CASCADE');
    // As typed, for the mail; `email_key` (lower case) is what the accepting developer's address must match.
    table.text('email').notNullable();
    table.text('email_key').notNullable();
    table.text('role').notNullable();
    table.text('invited_by').references('id').inTable('portal_developers').onDelete('SET NULL');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    // Set once: accepted, or withdrawn (by an owner, or by a newer invitation to the same address).
    table.timestamp('ended_at', { useTz: true });
    table.text('outcome');
    table.index(['organisation_id']);
  });
  await knex.raw("alter table organisation_invitations add constraint organisation_invitations_role_check check (role in ('owner', 'developer'))");
  await knex.raw("alter table organisation_invitations add constraint organisation_invitations_outcome_check check ((ended_at is null and outcome is null) or (ended_at is not null and outcome in ('accepted', 'withdrawn')))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('organisation_invitations');
  await knex.schema.dropTableIfExists('organisation_members');
}
