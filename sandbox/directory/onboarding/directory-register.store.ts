import type { Knex } from 'knex';

import type { ObRole } from '../../../src/openbanking/ob-vocabulary.ts';

/** The sandbox directory's tables (`migrations/`): its organisations and their software. */

export interface OrganisationRow {
  org_id: string;
  name: string;
  contact_email: string;
  token_hash: string;
  created_at: Date;
}

export interface SoftwareRow {
  software_id: string;
  org_id: string;
  client_name: string;
  roles: ObRole[];
  redirect_uris: string[];
  logo_uri: string | null;
  software_statement: string;
  transport_certificate: string;
  signing_jwks: { keys: object[] };
  sealed_keys: string;
  created_at: Date;
}

const ORGANISATIONS = 'sandbox_directory_organisations';
const SOFTWARE = 'sandbox_directory_software';

export async function insertOrganisation(db: Knex, row: OrganisationRow): Promise<void> {
  await db(ORGANISATIONS).insert(row);
}

export async function findOrganisation(db: Knex, orgId: string): Promise<OrganisationRow | undefined> {
  return db(ORGANISATIONS).where({ org_id: orgId }).first();
}

export async function insertSoftware(db: Knex, row: SoftwareRow): Promise<void> {
  await db(SOFTWARE).insert({ ...row, roles: JSON.stringify(row.roles), redirect_uris: JSON.stringify(row.redirect_uris), signing_jwks: JSON.stringify(row.signing_jwks) });
}

/** The organisation's software by id; another organisation's is not found. */
export async function findSoftware(db: Knex, orgId: string, softwareId: string): Promise<SoftwareRow | undefined> {
  return db(SOFTWARE).where({ org_id: orgId, software_id: softwareId }).first();
}

export async function countSoftware(db: Knex, orgId: string): Promise<number> {
  const row = await db(SOFTWARE).where({ org_id: orgId }).count<{ count: string | number }[]>('* as count').first();
  return Number(row?.count ?? 0);
}
