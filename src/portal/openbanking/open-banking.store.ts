import type { Knex } from 'knex';

/*
 * The portal's links to the sandbox directory as rows (`portal_directory_links`,
 * `portal_software_statements`). Only this file writes their SQL.
 */

export interface SoftwareStatementRow {
  application_id: string;
  directory_organisation_id: string;
  software_id: string;
  created_at: Date;
  registering_since: Date | null;
  registration_client_uri: string | null;
  sealed_registration_access_token: string | null;
  registered_at: Date | null;
}

const LINKS = 'portal_directory_links';
const STATEMENTS = 'portal_software_statements';

/** The organisation's organisation at the directory, if it has one. */
export async function findDirectoryOrganisation(db: Knex, organisationId: string): Promise<string | undefined> {
  const row = await db(LINKS).first('directory_organisation_id').where({ organisation_id: organisationId });
  return row?.directory_organisation_id;
}

/** Links the organisation to its organisation at the directory, unless a link was made first; resolves the link that holds. */
export async function linkDirectoryOrganisation(db: Knex, organisationId: string, directoryOrganisationId: string, now: Date): Promise<string> {
  await db(LINKS).insert({ organisation_id: organisationId, directory_organisation_id: directoryOrganisationId, created_at: now }).onConflict('organisation_id').ignore();
  return (await findDirectoryOrganisation(db, organisationId))!;
}

export async function findSoftwareStatement(db: Knex, applicationId: string): Promise<SoftwareStatementRow | undefined> {
  return db(STATEMENTS).first('*').where({ application_id: applicationId });
}

/** Records the application's software statement; false when it has one already. */
export async function insertSoftwareStatement(db: Knex, row: Pick<SoftwareStatementRow, 'application_id' | 'directory_organisation_id' | 'software_id' | 'created_at'>): Promise<boolean> {
  const inserted: unknown[] = await db(STATEMENTS).insert(row).onConflict('application_id').ignore().returning(['application_id']);
  return inserted.length > 0;
}

/**
 * Marks a registration as under way, unless the application is registered or another
 * registration started after `staleBefore` (one older than that died with its process). One
 * statement, so two requests cannot both win.
 */
export async function claimRegistration(db: Knex, applicationId: string, now: Date, staleBefore: Date): Promise<boolean> {
  const claimed: unknown[] = await db(STATEMENTS)
    .where({ application_id: applicationId })
    .whereNull('registered_at')
    .andWhere((claim) => claim.whereNull('registering_since').orWhere('registering_since', '<', staleBefore))
    .update({ registering_since: now }, ['application_id']);
  return claimed.length > 0;
}

export async function releaseRegistration(db: Knex, applicationId: string): Promise<void> {
  await db(STATEMENTS).where({ application_id: applicationId }).whereNull('registered_at').update({ registering_since: null });
}

export async function recordRegistration(db: Knex, applicationId: string, registration: { registrationClientUri: string; sealedRegistrationAccessToken: string; registeredAt: Date }): Promise<void> {
  await db(STATEMENTS).where({ application_id: applicationId }).update({
    registering_since: null,
    registration_client_uri: registration.registrationClientUri,
    sealed_registration_access_token: registration.sealedRegistrationAccessToken,
    registered_at: registration.registeredAt,
  });
}
