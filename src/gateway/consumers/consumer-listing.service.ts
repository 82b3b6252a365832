import type { Knex } from 'knex';

import { pageOf, type Page, type PageRequest } from '../page.ts';
import { selectApplicationPage, findOrganisation, selectOrganisationPage } from './consumer-listing.store.ts';
import { findApplication, listApiKeys, type ApiKeyRow, type ApplicationRow, type OrganisationRow } from './consumer.store.ts';
import { ConsumerNotFound } from './consumers.service.ts';

/* What the console reads of the consumers: organisations, applications and their keys (never a secret). */

/** The organisation; throws `ConsumerNotFound`. */
export async function getOrganisation(db: Knex, id: string): Promise<OrganisationRow> {
  const organisation = await findOrganisation(db, id);
  if (!organisation) throw new ConsumerNotFound(`no organisation ${id}`);
  return organisation;
}

export async function listOrganisations(db: Knex, page: PageRequest): Promise<Page<OrganisationRow>> {
  return pageOf(await selectOrganisationPage(db, page), page.limit);
}

/** The application; throws `ConsumerNotFound`. */
export async function getApplication(db: Knex, id: string): Promise<ApplicationRow> {
  const application = await findApplication(db, id);
  if (!application) throw new ConsumerNotFound(`no application ${id}`);
  return application;
}

/** A page of applications, of one organisation when given (an unknown one throws `ConsumerNotFound`). */
export async function listApplications(db: Knex, page: PageRequest, organisationId: string | undefined): Promise<Page<ApplicationRow>> {
  if (organisationId !== undefined) await getOrganisation(db, organisationId);
  return pageOf(await selectApplicationPage(db, page, organisationId), page.limit);
}

/** The application's keys, newest first, revoked ones included: prefixes and dates, never the secret. */
export async function listApplicationKeys(db: Knex, applicationId: string): Promise<ApiKeyRow[]> {
  await getApplication(db, applicationId);
  return listApiKeys(db, applicationId);
}
