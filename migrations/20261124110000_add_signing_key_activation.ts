import type { Knex } from 'knex';

/**
 * When a signing key starts signing. A rotation publishes the next key ahead of this instant, so
 * that partners' cached copies of our JWKS hold its kid before anything signed with it reaches
 * them. Keys stored before this column existed have signed since they were created.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('signing_keys', (table) => {
    table.timestamp('activates_at', { useTz: true });
  });
  await knex('signing_keys').update({ activates_at: knex.ref('created_at') });
  await knex.schema.alterTable('signing_keys', (table) => {
    table.timestamp('activates_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).alter();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('signing_keys', (table) => {
    table.dropColumn('activates_at');
  });
}
