import type { Knex } from 'knex';

/**
 * Billing lines: what one application owes for one plan in one month, priced when the month was
 * run. Names are copied as they were, and there are no foreign keys to the catalogue: a closed
 * month's lines outlive the applications and plans they bill. Money is integer minor units with
 * its ISO 4217 currency (null for a free plan). Each line carries its own push to the payment
 * provider: its state (`pending` while a send is under way or was cut short, `sent`, `failed`),
 * how many times it was tried, and what the provider answered; its id is the send's idempotency key.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('billing_lines', (table) => {
    table.text('id').primary();
    table.text('month').notNullable().references('month').inTable('billing_months').onDelete('CASCADE');
    table.text('organisation_id').notNullable();
    table.text('organisation_name').notNullable();
    table.text('application_id').notNullable();
    table.text('application_name').notNullable();
    table.text('plan_id').notNullable();
    table.text('plan_name').notNullable();
    table.bigInteger('calls').notNullable();
    table.bigInteger('quota_per_month');
    table.bigInteger('amount_minor_units').notNullable();
    table.text('currency');
    table.text('push_state');
    table.text('push_provider');
    table.text('push_reference');
    table.text('push_error');
    table.integer('push_attempts').notNullable().defaultTo(0);
    table.timestamp('pushed_at', { useTz: true });
    table.unique(['month', 'application_id', 'plan_id']);
  });
  await knex.raw(`alter table billing_lines add constraint billing_lines_amount_check check (calls >= 0 and amount_minor_units >= 0 and (currency is not null or amount_minor_units = 0))`);
  await knex.raw(`alter table billing_lines add constraint billing_lines_push_state_check check (push_state in ('pending', 'sent', 'failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('billing_lines');
}
