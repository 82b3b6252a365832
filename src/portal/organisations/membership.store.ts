import type { Knex } from 'knex';

import type { MemberRole } from './member-role.ts';

/* Organisations' members as rows. Only this file writes their SQL. */

export interface Membership {
  organisationId: string;
  organisationName: string;
  role: MemberRole;
}

export interface Member {
  developerId: string;
  name: string;
  email: string;
  role: MemberRole;
  since: Date;
}

export async function insertMember(db: Knex, row: { organisation_id: string; developer_id: string; role: MemberRole; created_at: Date }): Promise<boolean> {
  const inserted = await db('organisation_members').insert(row).onConflict(['organisation_id', 'developer_id']).ignore().returning('developer_id');
  return inserted.length === 1;
}

/** The organisations a developer belongs to, by name. */
export async function membershipsOf(db: Knex, developerId: string): Promise<Membership[]> {
  const rows = await db('organisation_members as m').join('organisations as o', 'o.id', 'm.organisation_id')
    .where('m.developer_id', developerId).orderBy([{ column: 'o.name' }, { column: 'o.id' }])
    .select<Array<{ id: string; name: string; role: MemberRole }>>('o.id', 'o.name', 'm.role');
  return rows.map((row) => ({ organisationId: row.id, organisationName: row.name, role: row.role }));
}

export async function findMembership(db: Knex, organisationId: string, developerId: string): Promise<Membership | undefined> {
  const row = await db('organisation_members as m').join('organisations as o', 'o.id', 'm.organisation_id')
    .where({ 'm.organisation_id': organisationId, 'm.developer_id': developerId })
    .first<{ id: string; name: string; role: MemberRole } | undefined>('o.id', 'o.name', 'm.role');
  return row && { organisationId: row.id, organisationName: row.name, role: row.role };
}

/** The members, owners first, then by name. */
export async function membersOf(db: Knex, organisationId: string): Promise<Member[]> {
  const rows = await db('organisation_members as m').join('portal_developers as d', 'd.id', 'm.developer_id')
    .where('m.organisation_id', organisationId).orderByRaw("case m.role when 'owner' then 0 else 1 end").orderBy('d.name')
    .select<Array<{ id: string; name: string; email: string; role: MemberRole; created_at: Date }>>('d.id', 'd.name', 'd.email', 'm.role', 'm.created_at');
  return rows.map((row) => ({ developerId: row.id, name: row.name, email: row.email, role: row.role, since: new Date(row.created_at) }));
}

/** Locks the organisation's member rows for the rest of the transaction, so that two owners cannot each demote the other. */
export async function lockMembers(trx: Knex.Transaction, organisationId: string): Promise<Array<{ developer_id: string; role: MemberRole }>> {
  return trx('organisation_members').where({ organisation_id: organisationId }).forUpdate().select('developer_id', 'role');
}

export async function setMemberRole(db: Knex, organisationId: string, developerId: string, role: MemberRole): Promise<void> {
  await db('organisation_members').where({ organisation_id: organisationId, developer_id: developerId }).update({ role });
}

export async function deleteMember(db: Knex, organisationId: string, developerId: string): Promise<void> {
  await db('organisation_members').where({ organisation_id: organisationId, developer_id: developerId }).delete();
}
