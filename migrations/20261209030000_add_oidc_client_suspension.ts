import type { Knex } from 'knex';

/**
 * An Open Banking client the bank has suspended (ops console, admin API): while `suspended_at` is
 * set, the authorization server treats the client as unknown (no token, PAR or authorization) and
 * the gateway refuses its tokens; clearing it reactivates the client with its registration intact.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oidc_clients', (table) => {
    table.timestamp('suspended_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oidc_clients', (table) => {
    table.dropColumn('suspended_at');
  });
}
