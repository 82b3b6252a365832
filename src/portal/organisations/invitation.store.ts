import type { Knex } from 'knex';

import type { MemberRole } from './member-role.ts';

/* Invitations to organisations as rows. Only this file writes their SQL. */

export interface InvitationRow {
  id: string;
  token_hash: string;
  organisation_id: string;
  email: string;
  email_key: string;
  role: MemberRole;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  outcome: 'accepted' | 'withdrawn' | null;
}

export async function insertInvitation(db: Knex, row: Omit<InvitationRow, 'ended_at' | 'outcome'>): Promise<void> {
  await db('organisation_invitations').insert(row);
}

/** Withdraws the open invitations to an address: only the newest one works. */
export async function withdrawInvitationsTo(db: Knex, organisationId: string, emailKey: string, now: Date): Promise<void> {
  await db('organisation_invitations').where({ organisation_id: organisationId, email_key: emailKey }).whereNull('ended_at').update({ ended_at: now, outcome: 'withdrawn' });
}

/** Ends one open invitation of the organisation; false when there was none to end. */
export async function endInvitation(db: Knex, where: { id: string; organisation_id: string } | { token_hash: string }, outcome: 'accepted' | 'withdrawn', now: Date): Promise<boolean> {
  const ended = await db('organisation_invitations').where(where).whereNull('ended_at').andWhere('expires_at', '>', now).update({ ended_at: now, outcome }, ['id']);
  return ended.length === 1;
}

/** An invitation that can still be accepted at `now`, with its organisation's name. */
export async function findOpenInvitation(db: Knex, tokenHash: string, now: Date): Promise<(InvitationRow & { organisation_name: string; inviter_name: string | null }) | undefined> {
  return db('organisation_invitations as i').join('organisations as o', 'o.id', 'i.organisation_id').leftJoin('portal_developers as d', 'd.id', 'i.invited_by')
    .where('i.token_hash', tokenHash).whereNull('i.ended_at').andWhere('i.expires_at', '>', now)
    .first('i.*', { organisation_name: 'o.name', inviter_name: 'd.name' });
}

/** The invitations still open, newest first. */
export async function openInvitationsOf(db: Knex, organisationId: string, now: Date): Promise<InvitationRow[]> {
  return db('organisation_invitations').where({ organisation_id: organisationId }).whereNull('ended_at').andWhere('expires_at', '>', now).orderBy('created_at', 'desc');
}
