import type { Knex } from 'knex';

/**
 * What the gateway serves, as data (DESIGN.md, domain model): APIs with their version, base path,
 * upstream targets, OpenAPI document, authentication kind and lifecycle state; their routes
 * (method + path template, with per-route policy); plans (a tier's limits and quotas); and which
 * application is subscribed to which plan.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('gateway_apis', (table) => {
    table.text('id').primary();
    table.text('name').notNullable();
    table.text('version').notNullable();
    // Where it is routed, e.g. /open-banking/v3.1/aisp or /clinics/v2: unique, so routing is unambiguous.
    table.text('base_path').notNullable().unique();
    table.text('auth_kind').notNullable();
    table.text('lifecycle').notNullable().defaultTo('draft');
    // [{ "url": "https://core.internal:8443", "weight": 90 }, …]: weights share traffic (a canary).
    table.jsonb('upstreams').notNullable();
    table.jsonb('openapi');
    // Deprecated APIs: when they retire (RFC 8594 Sunset) and what replaces them (Link successor-version).
    table.timestamp('sunset_at', { useTz: true });
    table.text('successor_api_id').references('id').inTable('gateway_apis').onDelete('SET NULL');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['name', 'version']);
  });
  await knex.raw("alter table gateway_apis add constraint gateway_apis_auth_kind_check check (auth_kind in ('fapi', 'oauth2', 'api-key', 'none'))");
  await knex.raw("alter table gateway_apis add constraint gateway_apis_lifecycle_check check (lifecycle in ('draft', 'published', 'deprecated', 'retired'))");
  // A deprecation names its sunset (RFC 8594): a deprecated API without one would never say when it goes.
  await knex.raw("alter table gateway_apis add constraint gateway_apis_sunset_check check (lifecycle <> 'deprecated' or sunset_at is not null)");

  await knex.schema.createTable('gateway_routes', (table) => {
    table.text('id').primary();
    table.text('api_id').notNullable().references('id').inTable('gateway_apis').onDelete('CASCADE');
    table.text('method').notNullable();
    // Relative to the API's base path, with {parameters}: /accounts/{AccountId}/transactions.
    table.text('path_template').notNullable();
    // Per-route policy: scopes, Open Banking permissions, audit, body capture, aggregation.
    table.jsonb('policy').notNullable().defaultTo('{}');
    table.unique(['api_id', 'method', 'path_template']);
  });

  await knex.schema.createTable('gateway_plans', (table) => {
    table.text('id').primary();
    table.text('name').notNullable().unique();
    // Rate limits and quotas; null means none of that kind.
    table.integer('rate_per_second');
    table.integer('rate_per_minute');
    table.bigInteger('quota_per_day');
    table.bigInteger('quota_per_month');
    // Free tiers are taken in the portal; others wait for an operator's approval.
    table.boolean('self_service').notNullable().defaultTo(false);
    table.bigInteger('price_minor_units');
    table.text('currency');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table gateway_plans add constraint gateway_plans_limits_check check (
    coalesce(rate_per_second, 1) > 0 and coalesce(rate_per_minute, 1) > 0 and coalesce(quota_per_day, 1) > 0 and coalesce(quota_per_month, 1) > 0)`);

  await knex.schema.createTable('subscriptions', (table) => {
    table.text('id').primary();
    table.text('application_id').notNullable().references('id').inTable('applications').onDelete('CASCADE');
    table.text('plan_id').notNullable().references('id').inTable('gateway_plans').onDelete('RESTRICT');
    table.text('status').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('status_updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['application_id', 'plan_id']);
  });
  await knex.raw("alter table subscriptions add constraint subscriptions_status_check check (status in ('requested', 'active', 'refused', 'cancelled'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('subscriptions');
  await knex.schema.dropTable('gateway_plans');
  await knex.schema.dropTable('gateway_routes');
  await knex.schema.dropTable('gateway_apis');
}
