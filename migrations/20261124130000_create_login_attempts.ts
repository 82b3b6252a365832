import type { Knex } from 'knex';

/*
 * Counters of the login throttle (`src/auth/interactions/login-throttle.ts`), one row per
 * username or client address, in the layout rate-limiter-flexible's `RateLimiterPostgres` writes:
 * it inserts `(key, points, expire)` positionally, so the table has exactly these columns, in this
 * order. `expire` is epoch milliseconds, compared with the application's clock. Kept in the
 * database rather than in memory so that limits hold across instances and restarts.
 */

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_attempts', (table) => {
    table.text('key').primary();
    table.integer('points').notNullable().defaultTo(0);
    table.bigInteger('expire').index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_attempts');
}
