import type { Knex } from 'knex';

/*
 * The transport certificates (RFC 8705) each client has authenticated with on the mutual-TLS
 * listener: the token endpoint, PAR and registration management. A certificate is seen only in a
 * TLS handshake (or a trusted proxy's header); keeping what it said lets operations see a partner's
 * certificate expiring before its calls start failing. One row per client and certificate (its
 * `x5t#S256`), gone with the client; `last_seen_at` is refreshed at most hourly per process.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_client_certificates', (table) => {
    table.text('client_id').notNullable().references('client_id').inTable('oidc_clients').onDelete('CASCADE');
    table.text('thumbprint').notNullable();
    table.text('subject_dn').notNullable();
    table.text('issuer_dn').notNullable();
    table.timestamp('not_before', { useTz: true }).notNullable();
    table.timestamp('not_after', { useTz: true }).notNullable();
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.primary(['client_id', 'thumbprint']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_client_certificates');
}
