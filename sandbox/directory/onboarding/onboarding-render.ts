import type { OrganisationRow, SoftwareRow } from './directory-register.store.ts';

/** How the onboarding API shows its resources: never a token hash, never a sealed key. */

export function renderOrganisation(organisation: OrganisationRow) {
  return {
    organisation_id: organisation.org_id,
    name: organisation.name,
    contact_email: organisation.contact_email,
    created_at: organisation.created_at.toISOString(),
  };
}

export function renderSoftware(software: SoftwareRow) {
  const self = `/sandbox/directory/v1/organisations/${software.org_id}/software-statements/${software.software_id}`;
  return {
    software_id: software.software_id,
    organisation_id: software.org_id,
    client_name: software.client_name,
    roles: software.roles,
    redirect_uris: software.redirect_uris,
    ...(software.logo_uri === null ? {} : { logo_uri: software.logo_uri }),
    software_statement: software.software_statement,
    transport_certificate: software.transport_certificate,
    signing_jwks: software.signing_jwks,
    created_at: new Date(software.created_at).toISOString(),
    links: { self, bundle: `${self}/bundle` },
  };
}
