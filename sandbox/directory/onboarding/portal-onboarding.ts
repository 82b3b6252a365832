import type { DirectoryOnboarding, DirectorySoftware } from '../../../src/portal/openbanking/directory-onboarding.ts';
import { Problem } from '../../../src/shared/problem.ts';
import { findOrganisation, type OrganisationRow, type SoftwareRow } from './directory-register.store.ts';
import { parseBody, signUpSchema, softwareStatementRequestSchema } from './onboarding.schema.ts';
import type { OnboardingContext } from './onboarding-context.ts';
import { signUp } from './organisations.service.ts';
import { bundleFileName, bundleFolder, DEMO_CONFIG_FILE, softwareBundle } from './software-bundle.ts';
import { createSoftwareStatement, openKeptKeys, readSoftwareStatement } from './software-statements.service.ts';

/**
 * The sandbox directory as the developer portal uses it (`BankIntegration.directoryOnboarding`):
 * the onboarding API's own services, called in process. The portal has already checked who may
 * act for the organisation, so no bearer token is asked for, and the one sign-up makes is dropped
 * (a partner who wants the HTTP API too signs another organisation up there). Input still goes
 * through the API's schemas, so the directory's rules hold whoever calls it.
 */
export function portalOnboarding(context: OnboardingContext): DirectoryOnboarding {
  async function organisationOf(orgId: string): Promise<OrganisationRow> {
    const organisation = await findOrganisation(context.db, orgId);
    if (!organisation) throw new Problem(404, 'not-found', `The sandbox directory has no organisation ${orgId} (was its store reset?)`);
    return organisation;
  }
  async function softwareOf(orgId: string, softwareId: string): Promise<{ organisation: OrganisationRow; software: SoftwareRow }> {
    const organisation = await organisationOf(orgId);
    return { organisation, software: await readSoftwareStatement(context, organisation, softwareId) };
  }
  return {
    async createOrganisation(input) {
      const { organisation } = await signUp(context, parseBody(signUpSchema, { name: input.name, contact_email: input.contactEmail }));
      return { organisationId: organisation.org_id };
    },
    async createSoftwareStatement(orgId, input) {
      const request = parseBody(softwareStatementRequestSchema, { client_name: input.clientName, roles: input.roles, redirect_uris: input.redirectUris });
      return describeSoftware(await createSoftwareStatement(context, await organisationOf(orgId), request));
    },
    async readSoftwareStatement(orgId, softwareId) {
      return describeSoftware((await softwareOf(orgId, softwareId)).software);
    },
    async softwareKeys(orgId, softwareId) {
      const { signingJwk, transportKeyPem } = openKeptKeys(context, (await softwareOf(orgId, softwareId)).software);
      return { signingJwk, transportKeyPem };
    },
    async bundle(orgId, softwareId, registration) {
      const { organisation, software } = await softwareOf(orgId, softwareId);
      return { fileName: bundleFileName(softwareId), zip: softwareBundle(context, organisation, software, openKeptKeys(context, software), registration) };
    },
  };
}

function describeSoftware(software: SoftwareRow): DirectorySoftware {
  return {
    softwareId: software.software_id,
    organisationId: software.org_id,
    clientName: software.client_name,
    roles: software.roles,
    redirectUris: software.redirect_uris,
    softwareStatement: software.software_statement,
    transportCertificatePem: software.transport_certificate,
    bundleFileName: bundleFileName(software.software_id),
    demoConfigPath: `${bundleFolder(software.software_id)}/${DEMO_CONFIG_FILE}`,
  };
}
