import type { Knex } from 'knex';

/**
 * When a payment submission was last sent to the bank. A `pending` submission is in flight only
 * for as long as a request can take (`defaults.gateway.paymentSubmissionLease`): one left pending
 * by an instance that stopped, or by a store that went away before the bank's answer was kept, is
 * then sent again under the partner's same key instead of being refused for ever.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('gateway_payment_submissions', (table) => {
    table.timestamp('sent_at', { useTz: true });
  });
  await knex('gateway_payment_submissions').update({ sent_at: knex.ref('created_at') });
  await knex.raw('alter table gateway_payment_submissions alter column sent_at set not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('gateway_payment_submissions', (table) => {
    table.dropColumn('sent_at');
  });
}
