import type { Knex } from 'knex';

/**
 * Payment submissions the gateway let through (POST /domestic-payments and the other PIS
 * submissions): one per consent, since a consent pays once, found again by the partner's
 * idempotency key (24 hours), with the bank's answer kept so that a retried request gets it again
 * instead of a second payment.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('gateway_payment_submissions', (table) => {
    table.text('id').primary();
    table.text('client_id').notNullable();
    table.text('kind').notNullable();
    table.text('idempotency_key').notNullable();
    table.text('consent_id').notNullable().unique().references('id').inTable('consents').onDelete('CASCADE');
    table.text('request_hash').notNullable();
    // pending: sent to the bank, no answer yet; answered: the bank's answer is kept; failed: no
    // answer came (the bank unreachable), so the same request may be sent again.
    table.text('state').notNullable();
    table.integer('response_status');
    table.jsonb('response_body');
    // The bank's id of the payment (DomesticPaymentId, …), for the partner's GETs of it.
    table.text('payment_id');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.unique(['client_id', 'kind', 'idempotency_key']);
    table.index(['client_id', 'payment_id']);
  });
  await knex.raw("alter table gateway_payment_submissions add constraint gateway_payment_submissions_state_check check (state in ('pending', 'answered', 'failed'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('gateway_payment_submissions');
}
