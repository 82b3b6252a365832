import type { Knex } from 'knex';

/**
 * When an API was deprecated: the date its `Deprecation` header gives (RFC 9745 §2), which is not
 * its sunset (RFC 8594) and not when the row last changed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('gateway_apis', (table) => {
    table.timestamp('deprecated_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('gateway_apis', (table) => {
    table.dropColumn('deprecated_at');
  });
}
