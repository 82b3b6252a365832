import type { Knex } from 'knex';

/**
 * The audit log (issue 11, step 10): API calls through the gateway, admin changes and domain
 * events, one row each, append-only and hash-chained. Row n carries the hash of row n - 1
 * (`prev_hash`) and its own `hash` = SHA-256(prev_hash ‖ RFC 8785 JSON of the row), so a changed,
 * removed or inserted row breaks the chain (`npm run cli -- audit verify`).
 *
 * `seq` is handed out by the writer under a lock, one more than the head's, never by a sequence:
 * a sequence skips the numbers of rolled-back transactions, and a gap must mean a removed row.
 *
 * Triggers refuse UPDATE, DELETE and TRUNCATE to every role, the table's owner and superusers
 * included (the application connects as the owner, which GRANT/REVOKE cannot restrain). Getting
 * past them takes DDL (`alter table … disable trigger`) or `session_replication_role`, which an
 * operator with DBA rights has and a compromised application query does not.
 *
 * `audit_head` is one row: the last seq and hash appended, moved forward in the same transaction
 * as the rows. It is what tells rows removed at the tail from a chain that simply ends there; its
 * trigger lets it only move forward, so putting it back to hide removed rows takes DDL too.
 *
 * Not partitioned by day (DESIGN.md, scaling out), yet: that needs partitions created ahead of
 * time by a job, and the triggers and primary key (which must then include `at`) reworked.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (table) => {
    table.bigInteger('seq').primary();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('kind').notNullable();
    // What happened: `GET /accounts/{AccountId}` for a call, the change for an admin entry, the event's name.
    table.text('action').notNullable();
    // Who: the calling client or application, the operator, or the event's actor (`system` when none).
    table.text('actor').notNullable();
    // Subjects, null where they do not apply; what the console searches by.
    table.text('api_id');
    table.text('route');
    table.text('application_id');
    table.text('client_id');
    table.text('customer_id');
    table.text('consent_id');
    // The HTTP status a call (or an admin API request) was answered with.
    table.integer('status');
    // Anything else: captured bodies (redacted), an admin change's before and after, an event's payload.
    table.jsonb('payload').notNullable();
    table.text('prev_hash').notNullable();
    table.text('hash').notNullable();
    table.index(['at']);
  });
  await knex.raw("alter table audit_log add constraint audit_log_kind_check check (kind in ('call', 'admin', 'event'))");
  await knex.raw("alter table audit_log add constraint audit_log_seq_check check (seq > 0)");
  for (const column of ['api_id', 'application_id', 'client_id', 'customer_id', 'consent_id']) {
    await knex.raw(`create index audit_log_${column}_index on audit_log (${column}, at) where ${column} is not null`);
  }

  await knex.schema.createTable('audit_head', (table) => {
    // Always true: the primary key keeps it to one row.
    table.boolean('id').primary().defaultTo(true);
    table.bigInteger('seq').notNullable();
    table.text('hash').notNullable();
  });
  await knex.raw('alter table audit_head add constraint audit_head_one_row_check check (id)');
  await knex('audit_head').insert({ id: true, seq: 0, hash: '0'.repeat(64) });

  await knex.raw(`create function audit_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
    end $$`);
  await knex.raw('create trigger audit_log_append_only before update or delete on audit_log for each row execute function audit_refuse_change()');
  await knex.raw('create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_refuse_change()');

  await knex.raw(`create function audit_head_forward_only() returns trigger language plpgsql as $$
    begin
      if new.seq <= old.seq then
        raise exception 'audit_head only moves forward: % to % refused', old.seq, new.seq using errcode = 'insufficient_privilege';
      end if;
      return new;
    end $$`);
  await knex.raw('create trigger audit_head_forward_only before update on audit_head for each row execute function audit_head_forward_only()');
  await knex.raw('create trigger audit_head_no_delete before delete on audit_head for each row execute function audit_refuse_change()');
  await knex.raw('create trigger audit_head_no_truncate before truncate on audit_head for each statement execute function audit_refuse_change()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_head');
  await knex.schema.dropTable('audit_log');
  await knex.raw('drop function audit_head_forward_only()');
  await knex.raw('drop function audit_refuse_change()');
}
