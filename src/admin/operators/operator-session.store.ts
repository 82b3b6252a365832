import type { Knex } from 'knex';

import type { OperatorRole } from './operator-role.ts';

export interface OperatorSessionRow {
  token_hash: string;
  operator_id: string;
  second_factor: boolean;
  created_at: Date;
  expires_at: Date;
}

/** The operator a session belongs to, as the console sees them. */
export interface SessionOperator {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
  enrolled: boolean;
}

export async function insertOperatorSession(db: Knex, row: OperatorSessionRow): Promise<void> {
  await db('operator_sessions').insert(row);
}

/** The session behind `tokenHash` and its operator, while the session is unexpired at `now` and the operator not disabled. */
export async function findLiveOperatorSession(db: Knex, tokenHash: string, now: Date): Promise<{ session: OperatorSessionRow; operator: SessionOperator } | undefined> {
  const row = await db('operator_sessions as s').join('operators as o', 'o.id', 's.operator_id')
    .where('s.token_hash', tokenHash).andWhere('s.expires_at', '>', now).whereNull('o.disabled_at')
    .first('s.token_hash', 's.operator_id', 's.second_factor', 's.created_at', 's.expires_at', 'o.email', 'o.name', 'o.role', 'o.totp_enrolled_at');
  if (!row) return undefined;
  return {
    session: { token_hash: row.token_hash, operator_id: row.operator_id, second_factor: Boolean(row.second_factor), created_at: new Date(row.created_at), expires_at: new Date(row.expires_at) },
    operator: { id: row.operator_id, email: row.email, name: row.name, role: row.role, enrolled: row.totp_enrolled_at !== null },
  };
}

export async function extendOperatorSession(db: Knex, tokenHash: string, expiresAt: Date): Promise<void> {
  await db('operator_sessions').where({ token_hash: tokenHash }).update({ expires_at: expiresAt });
}

export async function deleteOperatorSession(db: Knex, tokenHash: string): Promise<void> {
  await db('operator_sessions').where({ token_hash: tokenHash }).delete();
}

/** Ends every session of an operator (disabled). */
export async function deleteOperatorSessionsOf(db: Knex, operatorId: string): Promise<void> {
  await db('operator_sessions').where({ operator_id: operatorId }).delete();
}

/** Removes sessions that ended before `now`: a sign-in sweeps them, so the table never grows without bound. */
export async function deleteExpiredOperatorSessions(db: Knex, now: Date): Promise<void> {
  await db('operator_sessions').where('expires_at', '<=', now).delete();
}
