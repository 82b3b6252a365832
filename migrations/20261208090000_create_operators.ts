import type { Knex } from 'knex';

/**
 * The console's operators: an email address, a role (viewer, operator, admin), an Argon2id
 * password and a TOTP second factor (RFC 6238). The TOTP secret is kept sealed (AES-256-GCM under
 * a key derived from the key-encryption key, bound to the operator); `totp_last_step` is the last
 * time step a code was accepted for, so that no code is accepted twice. An operator is disabled,
 * never deleted: the audit log keeps naming them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('operators', (table) => {
    table.text('id').primary();
    // As typed, for display; `email_key` (lower case) is what makes an address one operator.
    table.text('email').notNullable();
    table.text('email_key').notNullable().unique();
    table.text('name').notNullable();
    table.text('role').notNullable();
    table.text('password_hash').notNullable();
    // Sealed; set at the first sign-in's enrolment (null until the authenticator app is set up).
    table.text('totp_secret_sealed');
    table.timestamp('totp_enrolled_at', { useTz: true });
    table.bigInteger('totp_last_step');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('disabled_at', { useTz: true });
  });
  await knex.raw(`alter table operators add constraint operators_role_check check (role in ('viewer', 'operator', 'admin'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('operators');
}
