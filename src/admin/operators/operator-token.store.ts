import type { Knex } from 'knex';

import type { OperatorRole } from './operator-role.ts';

export interface OperatorTokenRow {
  id: string;
  operator_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = ['id', 'operator_id', 'name', 'prefix', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'] as const;

function tokenOf(row: Record<string, unknown>): Omit<OperatorTokenRow, 'token_hash'> {
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));
  return {
    id: row['id'] as string, operator_id: row['operator_id'] as string, name: row['name'] as string, prefix: row['prefix'] as string,
    created_at: new Date(row['created_at'] as string), expires_at: new Date(row['expires_at'] as string), last_used_at: date(row['last_used_at']), revoked_at: date(row['revoked_at']),
  };
}

export async function insertOperatorToken(db: Knex, row: Omit<OperatorTokenRow, 'last_used_at' | 'revoked_at'>): Promise<void> {
  await db('operator_api_tokens').insert(row);
}

/** An operator's tokens, newest first (never their hashes). */
export async function listOperatorTokenRows(db: Knex, operatorId: string): Promise<Array<Omit<OperatorTokenRow, 'token_hash'>>> {
  return (await db('operator_api_tokens').where({ operator_id: operatorId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }]).select(...COLUMNS)).map(tokenOf);
}

/** A token by id: of `operatorId` only, when given. */
export async function findOperatorTokenRow(db: Knex, id: string, operatorId?: string): Promise<Omit<OperatorTokenRow, 'token_hash'> | undefined> {
  const row = await db('operator_api_tokens').where({ id, ...(operatorId ? { operator_id: operatorId } : {}) }).first(...COLUMNS);
  return row && tokenOf(row);
}

/** Revokes an operator's token (once); false when it is not theirs, or revoked already. */
export async function markOperatorTokenRevoked(db: Knex, operatorId: string, id: string, at: Date): Promise<boolean> {
  return (await db('operator_api_tokens').where({ id, operator_id: operatorId }).whereNull('revoked_at').update({ revoked_at: at })) === 1;
}

/** The live token behind `hash` and its operator's role now: unrevoked, unexpired at `now`, its operator not disabled. */
export async function findLiveOperatorToken(db: Knex, hash: string, now: Date): Promise<{ id: string; operatorId: string; role: OperatorRole; expiresAt: Date; lastUsedAt: Date | null } | undefined> {
  const row = await db('operator_api_tokens as t').join('operators as o', 'o.id', 't.operator_id')
    .where('t.token_hash', hash).whereNull('t.revoked_at').andWhere('t.expires_at', '>', now).whereNull('o.disabled_at')
    .first('t.id', 't.operator_id', 'o.role', 't.expires_at', 't.last_used_at');
  if (!row) return undefined;
  return { id: row.id, operatorId: row.operator_id, role: row.role, expiresAt: new Date(row.expires_at), lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at) };
}

export async function touchOperatorToken(db: Knex, id: string, at: Date): Promise<void> {
  await db('operator_api_tokens').where({ id }).update({ last_used_at: at });
}
