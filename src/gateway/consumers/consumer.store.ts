import type { Knex } from 'knex';

/*
 * The gateway's consumers as rows: organisations, applications, API keys. Only this file writes
 * their SQL.
 */

export type ApplicationStatus = 'active' | 'suspended';

export interface OrganisationRow {
  id: string;
  name: string;
  created_at: Date;
}

export interface ApplicationRow {
  id: string;
  organisation_id: string;
  name: string;
  client_id: string | null;
  status: ApplicationStatus;
  created_at: Date;
}

export interface ApiKeyRow {
  id: string;
  application_id: string;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export async function insertOrganisation(db: Knex, row: Pick<OrganisationRow, 'id' | 'name'>): Promise<OrganisationRow> {
  const [inserted] = await db('organisations').insert(row).returning('*');
  return inserted;
}

export async function insertApplication(db: Knex, row: Pick<ApplicationRow, 'id' | 'organisation_id' | 'name' | 'client_id'>): Promise<ApplicationRow> {
  const [inserted] = await db('applications').insert(row).returning('*');
  return inserted;
}

export async function findApplication(db: Knex, id: string): Promise<ApplicationRow | undefined> {
  return db('applications').first('*').where({ id });
}

/** The organisation's applications, by name. */
export async function applicationsOf(db: Knex, organisationId: string): Promise<ApplicationRow[]> {
  return db('applications').select('*').where({ organisation_id: organisationId }).orderBy([{ column: 'name' }, { column: 'id' }]);
}

/** The application an OAuth client acts for, if it is linked to one. */
export async function findApplicationByClientId(db: Knex, clientId: string): Promise<ApplicationRow | undefined> {
  return db('applications').first('*').where({ client_id: clientId });
}

/** Links the application to the OAuth client it calls with, unless it has one; false when it had. */
export async function linkApplicationClient(db: Knex, id: string, clientId: string): Promise<boolean> {
  const linked: unknown[] = await db('applications').where({ id }).whereNull('client_id').update({ client_id: clientId }, ['id']);
  return linked.length > 0;
}

/** Sets the status; resolves the row as it is now, or undefined for an unknown application. */
export async function setApplicationStatus(db: Knex, id: string, status: ApplicationStatus): Promise<ApplicationRow | undefined> {
  const [updated] = await db('applications').where({ id }).update({ status }).returning('*');
  return updated;
}

export async function insertApiKey(db: Knex, row: Pick<ApiKeyRow, 'id' | 'application_id' | 'prefix'> & { key_hash: string }): Promise<ApiKeyRow> {
  const [inserted] = await db('api_keys').insert(row).returning(['id', 'application_id', 'prefix', 'created_at', 'expires_at', 'revoked_at']);
  return inserted;
}

export async function findApiKey(db: Knex, id: string): Promise<ApiKeyRow | undefined> {
  return db('api_keys').first('id', 'application_id', 'prefix', 'created_at', 'expires_at', 'revoked_at').where({ id });
}

/** The application's keys, newest first, revoked ones included. */
export async function listApiKeys(db: Knex, applicationId: string): Promise<ApiKeyRow[]> {
  return db('api_keys').select('id', 'application_id', 'prefix', 'created_at', 'expires_at', 'revoked_at').where({ application_id: applicationId }).orderBy('created_at', 'desc');
}

/**
 * The key with this hash and its application, if the key is live at `now` (not revoked, not past
 * the end a rotation gave it). The application's status is the caller's to judge.
 */
export async function findLiveApiKey(db: Knex, keyHash: string, now: Date): Promise<{ key: ApiKeyRow; application: ApplicationRow } | undefined> {
  const row = await db('api_keys')
    .join('applications', 'applications.id', 'api_keys.application_id')
    .first(
      'api_keys.id as key_id', 'api_keys.prefix', 'api_keys.created_at as key_created_at', 'api_keys.expires_at', 'api_keys.revoked_at',
      'applications.id', 'applications.organisation_id', 'applications.name', 'applications.client_id', 'applications.status', 'applications.created_at',
    )
    .where('api_keys.key_hash', keyHash)
    .whereNull('api_keys.revoked_at')
    .andWhere((query) => query.whereNull('api_keys.expires_at').orWhere('api_keys.expires_at', '>', now));
  if (!row) return undefined;
  return {
    key: { id: row.key_id, application_id: row.id, prefix: row.prefix, created_at: row.key_created_at, expires_at: row.expires_at, revoked_at: row.revoked_at },
    application: { id: row.id, organisation_id: row.organisation_id, name: row.name, client_id: row.client_id, status: row.status, created_at: row.created_at },
  };
}

/** Ends a key live at `now` at `expiresAt` (or sooner, if it already ends sooner); undefined when it is not live. */
export async function expireApiKey(db: Knex, id: string, expiresAt: Date, now: Date): Promise<ApiKeyRow | undefined> {
  const [updated] = await db('api_keys')
    .where({ id })
    .whereNull('revoked_at')
    .andWhere((query) => query.whereNull('expires_at').orWhere('expires_at', '>', now))
    .update({ expires_at: db.raw('least(coalesce(expires_at, ?), ?)', [expiresAt, expiresAt]) })
    .returning(['id', 'application_id', 'prefix', 'created_at', 'expires_at', 'revoked_at']);
  return updated;
}

/** Revokes a key that is not revoked yet; undefined when there is none such. */
export async function revokeApiKey(db: Knex, id: string, at: Date): Promise<ApiKeyRow | undefined> {
  const [updated] = await db('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: at }).returning(['id', 'application_id', 'prefix', 'created_at', 'expires_at', 'revoked_at']);
  return updated;
}
