import type { Knex } from 'knex';

/**
 * Per-minute analytics rollups (issue 11, step 9): one row per minute, API, route, application,
 * plan and status, never one per call. Every instance adds to the same rows (counts and bytes
 * summed, latency histograms merged bucket by bucket), so the key holds '' for an absent id:
 * NULLs are never equal in a unique key and would split one minute into many rows. No foreign
 * keys: usage outlives the APIs, routes and applications it counted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('analytics_minute_rollups', (table) => {
    table.timestamp('minute', { useTz: true }).notNullable();
    table.text('api_id').notNullable();
    table.text('route_id').notNullable();
    table.text('application_id').notNullable();
    table.text('plan_id').notNullable();
    table.smallint('status').notNullable();
    // Names as they were when counted, so a console can show usage of what has since been renamed or removed.
    table.text('api_name').notNullable();
    table.text('api_version').notNullable();
    table.text('route_method');
    table.text('route_template');
    table.bigInteger('count').notNullable();
    table.bigInteger('request_bytes').notNullable();
    table.bigInteger('response_bytes').notNullable();
    // Latency histograms, sparse: { "<bucket index>": count } (src/analytics/latency-histogram.ts fixes the buckets).
    table.jsonb('total_ms').notNullable();
    table.jsonb('upstream_ms').notNullable();
    table.jsonb('gateway_ms').notNullable();
    table.primary(['minute', 'api_id', 'route_id', 'application_id', 'plan_id', 'status']);
    // The portal reads one application's usage, the console one API's.
    table.index(['application_id', 'minute']);
    table.index(['api_id', 'minute']);
  });
  await knex.raw(`alter table analytics_minute_rollups add constraint analytics_minute_rollups_minute_check check (mod(extract(epoch from minute), 60) = 0)`);
  await knex.raw('alter table analytics_minute_rollups add constraint analytics_minute_rollups_status_check check (status between 100 and 599)');
  await knex.raw('alter table analytics_minute_rollups add constraint analytics_minute_rollups_count_check check (count > 0 and request_bytes >= 0 and response_bytes >= 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('analytics_minute_rollups');
}
