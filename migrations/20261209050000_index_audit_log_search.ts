import type { Knex } from 'knex';

/**
 * Indexes for the console's audit search (issue 14), which lists entries newest first by
 * `(at, seq)` and pages by keyset (`(at, seq) < (…)`), never by offset: `(at, seq)` serves a time
 * range alone, `(actor, at, seq)` and `(kind, at, seq)` the actor and kind filters. The subject
 * filters (API, application, client, customer, consent) use the `(column, at)` indexes the audit
 * log was created with. `(at, seq)` serves whatever `(at)` did, which goes: one index fewer to
 * write on the one per-call table.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index audit_log_at_seq_index on audit_log (at, seq)');
  await knex.raw('create index audit_log_actor_at_seq_index on audit_log (actor, at, seq)');
  await knex.raw('create index audit_log_kind_at_seq_index on audit_log (kind, at, seq)');
  await knex.raw('drop index audit_log_at_index');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('create index audit_log_at_index on audit_log (at)');
  await knex.raw('drop index audit_log_kind_at_seq_index');
  await knex.raw('drop index audit_log_actor_at_seq_index');
  await knex.raw('drop index audit_log_at_seq_index');
}
