import type { Knex } from 'knex';

import type { PageRequest } from '../page.ts';
import type { ApplicationRow, OrganisationRow } from './consumer.store.ts';

/*
 * Reading organisations and applications a page at a time, for the admin API. Only this file and
 * `consumer.store.ts` write their SQL.
 */

export async function findOrganisation(db: Knex, id: string): Promise<OrganisationRow | undefined> {
  return db('organisations').first('*').where({ id });
}

/** A page of organisations by id, `limit + 1` rows. */
export async function selectOrganisationPage(db: Knex, page: PageRequest): Promise<OrganisationRow[]> {
  const query = db('organisations').select('*').orderBy('id').limit(page.limit + 1);
  if (page.after !== undefined) query.where('id', '>', page.after);
  return query;
}

/** A page of applications by id, `limit + 1` rows, of one organisation when given. */
export async function selectApplicationPage(db: Knex, page: PageRequest, organisationId: string | undefined): Promise<ApplicationRow[]> {
  const query = db('applications').select('*').orderBy('id').limit(page.limit + 1);
  if (page.after !== undefined) query.where('id', '>', page.after);
  if (organisationId !== undefined) query.where({ organisation_id: organisationId });
  return query;
}
