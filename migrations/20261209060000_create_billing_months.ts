import type { Knex } from 'knex';

/**
 * Billing months (issue 14, billing): one row per calendar month (UTC) that has been run, keyed
 * `YYYY-MM`. `open` months are drafts a run replaces; `closed` ones are final, their lines never
 * change again and only they are pushed to the payment provider.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('billing_months', (table) => {
    table.text('month').primary();
    table.text('status').notNullable();
    table.timestamp('run_at', { useTz: true }).notNullable();
    table.text('run_by').notNullable();
    table.timestamp('closed_at', { useTz: true });
    table.text('closed_by');
  });
  await knex.raw(`alter table billing_months add constraint billing_months_month_check check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')`);
  await knex.raw(`alter table billing_months add constraint billing_months_status_check check (status in ('open', 'closed') and (status = 'open') = (closed_at is null))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('billing_months');
}
