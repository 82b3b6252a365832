import type { Knex } from 'knex';

/*
 * oidc-provider's `Session` model. The id is the session cookie value and changes on login
 * (session fixation defence); `uid` stays for the session's life and is how interactions find it
 * again (`findByUid`), hence unique. `payload` is `json` for the reasons given in the oidc_tokens
 * migration.
 */

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_sessions', (table) => {
    table.text('id').primary();
    table.text('uid').notNullable().unique();
    table.text('account_id');
    table.json('payload').notNullable();
    table.timestamp('expires_at', { useTz: true }).index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_sessions');
}
