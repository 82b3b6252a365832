import type { Knex } from 'knex';

/*
 * One table for the credential-like oidc-provider models that share a lifecycle: issued, looked up
 * by id, maybe consumed once, revoked with their grant, dropped at expiry. `kind` is the model
 * name (AccessToken, AuthorizationCode, RefreshToken, ...).
 *
 * Choices kept on purpose:
 * - The primary key is (id, kind): each model is its own id namespace, as in oidc-provider's own
 *   adapters, so a refresh token's value can never be found as an access token.
 * - `payload` is `json`, not `jsonb`: it is only ever read whole, `json` is cheaper to write on
 *   the token endpoint, and jsonb rejects `\u0000`, which request parameters copied into a
 *   payload (nonce, claims) can carry.
 * - grant_id and user_code are indexed only where set: client-credentials and registration
 *   tokens, a large share of rows in Open Banking, have no grant.
 * - expires_at is indexed for the expiry sweeper.
 */

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_tokens', (table) => {
    table.text('id').notNullable();
    table.text('kind').notNullable();
    table.text('grant_id');
    table.text('client_id');
    table.text('account_id');
    table.text('user_code');
    table.json('payload').notNullable();
    table.timestamp('expires_at', { useTz: true });
    table.timestamp('consumed_at', { useTz: true });
    table.primary(['id', 'kind']);
    table.index('grant_id', 'oidc_tokens_grant_id_index', { predicate: knex.whereNotNull('grant_id') });
    table.index('user_code', 'oidc_tokens_user_code_index', { predicate: knex.whereNotNull('user_code') });
    table.index('expires_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_tokens');
}
