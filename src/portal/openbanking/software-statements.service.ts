import type { ApplicationRow } from '../../gateway/consumers/consumer.store.ts';
import { appFor } from '../apps/portal-apps.service.ts';
import type { Membership } from '../organisations/membership.store.ts';
import { PortalPageError } from '../portal-page-error.ts';
import type { SignedInDeveloper } from '../session/portal-sessions.ts';
import { atDirectory, onboardingOf, statementOf } from './directory-access.ts';
import type { BundleRegistration, DirectoryOnboarding, DirectorySoftware } from './directory-onboarding.ts';
import { findDirectoryOrganisation, findSoftwareStatement, insertSoftwareStatement, linkDirectoryOrganisation, type SoftwareStatementRow } from './open-banking.store.ts';
import type { OpenBankingPagesDependencies } from './open-banking-pages.deps.ts';
import { openRegistrationToken } from './registration-token-seal.ts';
import type { SoftwareStatementInput } from './software-statement-form.ts';

/*
 * An application's software statement at the sandbox directory, as developers make it in the
 * portal: the organisation is signed up at the directory the first time one of its applications
 * asks (and the link kept), then the application gets one statement, whose bundle members download
 * as often as they like. Every action first checks the developer may manage the application.
 */

const HAS_STATEMENT = 'The application has a software statement already: each application has one.';

export interface OpenBankingView {
  application: ApplicationRow;
  membership: Membership;
  /** False where the bank has no sandbox directory. */
  hasDirectory: boolean;
  statement: DirectorySoftware | undefined;
  /** When the portal registered the application's client (`application.client_id`) with the statement. */
  registeredAt: Date | undefined;
}

export async function viewOpenBanking(deps: OpenBankingPagesDependencies, developer: SignedInDeveloper, applicationId: string): Promise<OpenBankingView> {
  const { application, membership } = await appFor(deps, developer, applicationId);
  const row = await findSoftwareStatement(deps.db, applicationId);
  const directory = deps.openBanking?.directory;
  const statement = row && directory ? await atDirectory(() => directory.readSoftwareStatement(row.directory_organisation_id, row.software_id)) : undefined;
  return { application, membership, hasDirectory: directory !== undefined, statement, registeredAt: row?.registered_at ?? undefined };
}

/** The organisation's organisation at the directory, signed up (by the developer's address) the first time. */
async function directoryOrganisationFor(deps: OpenBankingPagesDependencies, directory: DirectoryOnboarding, membership: Membership, developer: SignedInDeveloper): Promise<string> {
  const linked = await findDirectoryOrganisation(deps.db, membership.organisationId);
  if (linked) return linked;
  const { organisationId } = await atDirectory(() => directory.createOrganisation({ name: membership.organisationName, contactEmail: developer.email }));
  // Two first statements at once both sign up; the first link made wins, the other organisation stays empty.
  return linkDirectoryOrganisation(deps.db, membership.organisationId, organisationId, deps.clock.now());
}

/** Creates the application's software statement; a second is a 409 page. */
export async function createSoftwareStatementFor(deps: OpenBankingPagesDependencies, developer: SignedInDeveloper, applicationId: string, input: SoftwareStatementInput): Promise<DirectorySoftware> {
  const { directory } = onboardingOf(deps);
  const { membership } = await appFor(deps, developer, applicationId);
  if (await findSoftwareStatement(deps.db, applicationId)) throw new PortalPageError(409, HAS_STATEMENT);
  const directoryOrganisationId = await directoryOrganisationFor(deps, directory, membership, developer);
  const software = await atDirectory(() => directory.createSoftwareStatement(directoryOrganisationId, input));
  const recorded = await insertSoftwareStatement(deps.db, { application_id: applicationId, directory_organisation_id: directoryOrganisationId, software_id: software.softwareId, created_at: deps.clock.now() });
  if (!recorded) throw new PortalPageError(409, HAS_STATEMENT);
  return software;
}

/** The registration the portal made with the statement, for the bundle's demo configuration. */
function registrationOf(row: SoftwareStatementRow, application: ApplicationRow, sealKey: Buffer): BundleRegistration | undefined {
  if (!row.registered_at || !row.registration_client_uri || !row.sealed_registration_access_token || !application.client_id) return undefined;
  return { clientId: application.client_id, registrationClientUri: row.registration_client_uri, registrationAccessToken: openRegistrationToken(row.sealed_registration_access_token, application.id, sealKey) };
}

/** The statement's bundle, with the portal's registration in it once there is one. */
export async function bundleFor(deps: OpenBankingPagesDependencies, developer: SignedInDeveloper, applicationId: string): Promise<{ fileName: string; zip: Uint8Array }> {
  const { directory, sealKey } = onboardingOf(deps);
  const { application } = await appFor(deps, developer, applicationId);
  const row = await statementOf(deps, applicationId);
  return atDirectory(() => directory.bundle(row.directory_organisation_id, row.software_id, registrationOf(row, application, sealKey)));
}
