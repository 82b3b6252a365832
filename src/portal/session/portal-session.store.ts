import type { Knex } from 'knex';

import type { DeveloperRow } from '../accounts/developer.store.ts';

export interface PortalSessionRow {
  token_hash: string;
  developer_id: string;
  created_at: Date;
  expires_at: Date;
}

export async function insertPortalSession(db: Knex, row: PortalSessionRow): Promise<void> {
  await db('portal_sessions').insert(row);
}

/** The session behind `tokenHash` and its developer, while the session is unexpired at `now`. */
export async function findLivePortalSession(db: Knex, tokenHash: string, now: Date): Promise<{ session: PortalSessionRow; developer: DeveloperRow } | undefined> {
  const row = await db('portal_sessions as s').join('portal_developers as d', 'd.id', 's.developer_id')
    .where('s.token_hash', tokenHash).andWhere('s.expires_at', '>', now)
    .first('s.token_hash', 's.developer_id', 's.created_at', 's.expires_at', 'd.id', 'd.email', 'd.email_key', 'd.name', 'd.password_hash', 'd.email_verified_at', { developer_created_at: 'd.created_at' });
  if (!row) return undefined;
  const { token_hash, developer_id, created_at, expires_at, developer_created_at, ...developer } = row;
  return { session: { token_hash, developer_id, created_at: new Date(created_at), expires_at: new Date(expires_at) }, developer: { ...developer, created_at: new Date(developer_created_at) } };
}

export async function extendPortalSession(db: Knex, tokenHash: string, expiresAt: Date): Promise<void> {
  await db('portal_sessions').where({ token_hash: tokenHash }).update({ expires_at: expiresAt });
}

export async function deletePortalSession(db: Knex, tokenHash: string): Promise<void> {
  await db('portal_sessions').where({ token_hash: tokenHash }).delete();
}

/** Ends every session of a developer (a password reset). */
export async function deletePortalSessionsOf(db: Knex, developerId: string): Promise<void> {
  await db('portal_sessions').where({ developer_id: developerId }).delete();
}

/** Removes sessions that ended before `now`: a sign-in sweeps them, so the table never grows without bound. */
export async function deleteExpiredPortalSessions(db: Knex, now: Date): Promise<void> {
  await db('portal_sessions').where('expires_at', '<=', now).delete();
}
