import type { Knex } from 'knex';

/**
 * Open Banking consent resources of every kind (account access, domestic payments, scheduled
 * payments, standing orders, funds confirmation). What the partner sent is kept whole in
 * `request` (the API echoes it back); what the customer decided lives in columns, so that the
 * gateway and the dashboard can query it: who granted it, under which grant, which accounts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('consents', (table) => {
    table.text('id').primary();
    table.text('kind').notNullable();
    table.text('client_id').notNullable();
    table.text('status').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('status_updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // ExpirationDateTime of the request, when it has one: the consent cannot be used after it.
    table.timestamp('expires_at', { useTz: true });
    table.jsonb('request').notNullable();
    table.text('customer_id');
    table.text('grant_id');
    // AIS: the AccountIds the customer selected. PIS and CBPII: the debtor account.
    table.jsonb('account_ids');
    table.jsonb('debtor_account');
    table.index(['client_id', 'created_at']);
    table.index(['customer_id', 'status']);
    table.index(['grant_id']);
  });
  await knex.raw(`alter table consents add constraint consents_kind_check check (kind in
    ('account-access', 'domestic-payment', 'domestic-scheduled-payment', 'domestic-standing-order', 'funds-confirmation'))`);
  await knex.raw(`alter table consents add constraint consents_status_check check (status in
    ('AwaitingAuthorisation', 'Authorised', 'Rejected', 'Revoked', 'Consumed'))`);

  // Every status a consent has had, with when and who moved it: the audit trail of the lifecycle.
  await knex.schema.createTable('consent_status_history', (table) => {
    table.bigIncrements('id');
    table.text('consent_id').notNullable().references('id').inTable('consents').onDelete('CASCADE');
    table.text('status').notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
    // partner, customer, ops or system (expiry).
    table.text('actor').notNullable();
    table.text('reason');
    table.index(['consent_id', 'id']);
  });

  // x-idempotency-key: one resource per partner, endpoint and key, for 24 hours.
  await knex.schema.createTable('consent_idempotency_keys', (table) => {
    table.text('client_id').notNullable();
    table.text('kind').notNullable();
    table.text('idempotency_key').notNullable();
    table.text('request_hash').notNullable();
    table.text('consent_id').notNullable().references('id').inTable('consents').onDelete('CASCADE');
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.primary(['client_id', 'kind', 'idempotency_key']);
    table.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('consent_idempotency_keys');
  await knex.schema.dropTable('consent_status_history');
  await knex.schema.dropTable('consents');
}
