import type { Knex } from 'knex';

import type { OperatorRole } from './operator-role.ts';

export interface OperatorRow {
  id: string;
  email: string;
  email_key: string;
  name: string;
  role: OperatorRole;
  /** Null for an operator the single sign-on provider brought in: they have no password. */
  password_hash: string | null;
  /** The `sub` the console's OpenID Connect provider names them by, once they signed in with it. */
  oidc_subject: string | null;
  totp_secret_sealed: string | null;
  totp_enrolled_at: Date | null;
  totp_last_step: number | null;
  created_at: Date;
  disabled_at: Date | null;
}

/** The key that makes an address one operator: as typed, trimmed, in lower case. */
export const operatorEmailKey = (email: string) => email.trim().toLowerCase();

// PostgreSQL's bigint arrives as text through pg; the step fits a double for millennia.
function operatorOf(row: Record<string, unknown> | undefined): OperatorRow | undefined {
  if (!row) return undefined;
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));
  return { ...(row as unknown as OperatorRow), totp_last_step: row['totp_last_step'] === null ? null : Number(row['totp_last_step']), totp_enrolled_at: date(row['totp_enrolled_at']), created_at: new Date(row['created_at'] as string), disabled_at: date(row['disabled_at']) };
}

export async function insertOperator(db: Knex, row: Pick<OperatorRow, 'id' | 'email' | 'name' | 'role' | 'password_hash' | 'created_at'> & { oidc_subject?: string }): Promise<boolean> {
  const inserted = await db('operators').insert({ ...row, email_key: operatorEmailKey(row.email) }).onConflict('email_key').ignore().returning('id');
  return inserted.length === 1;
}

export async function findOperatorByEmail(db: Knex, email: string): Promise<OperatorRow | undefined> {
  return operatorOf(await db('operators').where({ email_key: operatorEmailKey(email) }).first());
}

export async function findOperatorBySubject(db: Knex, subject: string): Promise<OperatorRow | undefined> {
  return operatorOf(await db('operators').where({ oidc_subject: subject }).first());
}

/** Binds the provider's `sub` to an operator who has none yet; false when they have one already (or another operator has this one). */
export async function bindOperatorSubject(db: Knex, id: string, subject: string): Promise<boolean> {
  const taken = await db('operators').where({ oidc_subject: subject }).first('id');
  if (taken) return false;
  return (await db('operators').where({ id }).whereNull('oidc_subject').update({ oidc_subject: subject })) === 1;
}

export async function findOperatorById(db: Knex, id: string): Promise<OperatorRow | undefined> {
  return operatorOf(await db('operators').where({ id }).first());
}

/** Every operator, oldest first. */
export async function listOperatorRows(db: Knex): Promise<OperatorRow[]> {
  return (await db('operators').orderBy([{ column: 'created_at' }, { column: 'id' }])).map((row: Record<string, unknown>) => operatorOf(row)!);
}

/** Keeps a new TOTP secret for an operator not yet enrolled; false when another was kept first. */
export async function keepTotpSecret(db: Knex, id: string, sealed: string): Promise<boolean> {
  return (await db('operators').where({ id }).whereNull('totp_secret_sealed').whereNull('totp_enrolled_at').update({ totp_secret_sealed: sealed })) === 1;
}

/**
 * Records that a code for `step` was used (and, the first time, that the operator enrolled), only
 * while no code for that step or a later one was: false when one was, so two requests racing with
 * one code cannot both pass.
 */
export async function useTotpStep(db: Knex, id: string, step: number, enrolledAt?: Date): Promise<boolean> {
  const updated = await db('operators').where({ id })
    .andWhere((where) => where.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
    .update({ totp_last_step: step, ...(enrolledAt ? { totp_enrolled_at: enrolledAt } : {}) });
  return updated === 1;
}

/** The operator's role before and after, or undefined for an unknown operator. */
export async function updateOperatorRole(db: Knex, id: string, role: OperatorRole): Promise<{ from: OperatorRole } | undefined> {
  return db.transaction(async (trx) => {
    const row = await trx('operators').where({ id }).forUpdate().first('role');
    if (!row) return undefined;
    await trx('operators').where({ id }).update({ role });
    return { from: row.role as OperatorRole };
  });
}

/** Disables an operator (once); false when unknown or disabled already. */
export async function markOperatorDisabled(db: Knex, id: string, at: Date): Promise<boolean> {
  return (await db('operators').where({ id }).whereNull('disabled_at').update({ disabled_at: at })) === 1;
}
