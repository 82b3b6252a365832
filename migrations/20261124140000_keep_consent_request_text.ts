import type { Knex } from 'knex';

/**
 * A consent's request is echoed back to the partner: keep it as sent (`json` keeps the text, key
 * order included), not in `jsonb`'s normal form, which reorders keys by length. Nothing queries
 * inside it, so nothing is lost.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table consents alter column request type json using request::json');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table consents alter column request type jsonb using request::jsonb');
}
