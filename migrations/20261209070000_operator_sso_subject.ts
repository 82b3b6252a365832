import type { Knex } from 'knex';

/**
 * Operators' single sign-on: the `sub` the console's OpenID Connect provider names them by, bound
 * at their first sign-in with it (then they are found by it, whatever their address becomes), and
 * no password for an operator the provider brought in (who signs in only through it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('operators', (table) => {
    table.text('oidc_subject').unique();
    table.setNullable('password_hash');
  });
}

export async function down(knex: Knex): Promise<void> {
  // Single sign-on operators keep an unusable password (no Argon2id hash matches it).
  await knex('operators').whereNull('password_hash').update({ password_hash: '!' });
  await knex.schema.alterTable('operators', (table) => {
    table.dropColumn('oidc_subject');
    table.dropNullable('password_hash');
  });
}
