import type { Knex } from 'knex';

import type { SubscriptionStatus } from '../../../gateway/catalogue/catalogue.types.ts';
import type { ApplicationRow, OrganisationRow } from '../../../gateway/consumers/consumer.store.ts';

/*
 * What the console's Organisations section reads across the consumers (organisations,
 * applications), the portal's members and the plans: searches and the rows a page shows, a few
 * queries per page whatever its length. Reads only; changes go through the services.
 */

/** Matches `text` anywhere, case-insensitively, with LIKE's own wildcards taken literally. */
const containing = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/**
 * Organisations whose name, one of whose applications' names, or one of whose members' email
 * addresses contains `text` (every organisation without it), by name then id, `limit + 1` rows
 * after the organisation `after` (keyset paging, so a page never shifts as rows come and go).
 */
export async function selectOrganisationMatches(db: Knex, search: { text: string | undefined; after: string | undefined; limit: number }): Promise<OrganisationRow[]> {
  const query = db('organisations as o').select('o.*').orderBy([{ column: 'o.name' }, { column: 'o.id' }]).limit(search.limit + 1);
  if (search.after !== undefined) query.whereRaw('(o.name, o.id) > (select name, id from organisations where id = ?)', [search.after]);
  if (search.text) {
    const pattern = containing(search.text);
    query.where((match) => match
      .whereRaw('lower(o.name) like ?', [pattern])
      .orWhereExists(db('applications as a').select(db.raw('1')).whereRaw('a.organisation_id = o.id').andWhereRaw('lower(a.name) like ?', [pattern]))
      .orWhereExists(db('organisation_members as m').join('portal_developers as d', 'd.id', 'm.developer_id').select(db.raw('1')).whereRaw('m.organisation_id = o.id').andWhereRaw('d.email_key like ?', [pattern])));
  }
  return query;
}

/** How many applications each of the organisations has. */
export async function countApplicationsOf(db: Knex, organisationIds: readonly string[]): Promise<Map<string, number>> {
  const rows: Array<{ organisation_id: string; n: string | number }> = await db('applications').whereIn('organisation_id', organisationIds).groupBy('organisation_id').select('organisation_id').count({ n: '*' });
  return new Map(rows.map((row) => [row.organisation_id, Number(row.n)]));
}

export interface OrganisationMember {
  organisationId: string;
  name: string;
  email: string;
  role: string;
}

/** The members of each of the organisations, owners first, then by name. */
export async function selectMembersOf(db: Knex, organisationIds: readonly string[]): Promise<OrganisationMember[]> {
  const rows: Array<{ organisation_id: string; name: string; email: string; role: string }> = await db('organisation_members as m').join('portal_developers as d', 'd.id', 'm.developer_id')
    .whereIn('m.organisation_id', organisationIds).orderByRaw("case m.role when 'owner' then 0 else 1 end").orderBy('d.name')
    .select('m.organisation_id', 'd.name', 'd.email', 'm.role');
  return rows.map((row) => ({ organisationId: row.organisation_id, name: row.name, email: row.email, role: row.role }));
}

/** The organisations' applications whose name contains `text`, by name. */
export async function selectApplicationsNamed(db: Knex, organisationIds: readonly string[], text: string): Promise<ApplicationRow[]> {
  return db('applications').select('*').whereIn('organisation_id', organisationIds).andWhereRaw('lower(name) like ?', [containing(text)]).orderBy([{ column: 'name' }, { column: 'id' }]);
}

export interface PlanSubscription {
  id: string;
  applicationId: string;
  planId: string;
  planName: string;
  status: SubscriptionStatus;
  statusUpdatedAt: Date;
}

/** Every subscription of the applications, whatever its status, with its plan's name. */
export async function selectSubscriptionsOf(db: Knex, applicationIds: readonly string[]): Promise<PlanSubscription[]> {
  const rows: Array<{ id: string; application_id: string; plan_id: string; plan_name: string; status: SubscriptionStatus; status_updated_at: Date }> = await db('subscriptions as s')
    .join('gateway_plans as p', 'p.id', 's.plan_id').whereIn('s.application_id', applicationIds).orderBy([{ column: 'p.name' }, { column: 's.id' }])
    .select('s.id', 's.application_id', 's.plan_id', 'p.name as plan_name', 's.status', 's.status_updated_at');
  return rows.map((row) => ({ id: row.id, applicationId: row.application_id, planId: row.plan_id, planName: row.plan_name, status: row.status, statusUpdatedAt: new Date(row.status_updated_at) }));
}

/** The registered OAuth client's name (its `client_name`), or undefined when it has none or is not registered. */
export async function selectClientName(db: Knex, clientId: string): Promise<string | undefined> {
  const row: { metadata: Record<string, unknown> } | undefined = await db('oidc_clients').first('metadata').where({ client_id: clientId });
  const name = row?.metadata['client_name'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}
