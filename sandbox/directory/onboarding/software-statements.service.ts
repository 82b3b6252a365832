import { exportJWK } from 'jose';

import { Problem } from '../../../src/shared/problem.ts';
import { createSoftwareKeys } from '../software-keys.ts';
import { countSoftware, findSoftware, insertSoftware, type OrganisationRow, type SoftwareRow } from './directory-register.store.ts';
import { newSoftwareId } from './onboarding-ids.ts';
import type { OnboardingContext } from './onboarding-context.ts';
import type { SoftwareStatementRequest } from './onboarding.schema.ts';
import { openSoftwareKeys, sealSoftwareKeys, type SoftwarePrivateKeys } from './software-keys-seal.ts';

/**
 * Each statement costs an RSA and an EC key and a certificate; a cap keeps one organisation from
 * filling the store or the CPU. Counted before the insert, so parallel requests may pass it by a
 * few: a bound, not an account.
 */
export const MAX_SOFTWARE_PER_ORGANISATION = 20;

/**
 * Creates a software statement for the organisation's app, with everything it needs to connect:
 * a software id, a PS256 signing key (its public JWKS in the statement as `software_jwks`), a
 * transport certificate, and the statement itself signed by the directory key. The private keys
 * are generated here, as the sandbox's convenience, and kept sealed for the bundle.
 */
export async function createSoftwareStatement(context: OnboardingContext, organisation: OrganisationRow, input: SoftwareStatementRequest): Promise<SoftwareRow> {
  if (await countSoftware(context.db, organisation.org_id) >= MAX_SOFTWARE_PER_ORGANISATION) {
    throw new Problem(409, 'conflict', `An organisation holds at most ${MAX_SOFTWARE_PER_ORGANISATION} software statements in the sandbox`);
  }
  const softwareId = newSoftwareId();
  const signing = await createSoftwareKeys('PS256');
  const transport = context.directory.issueTransportCertificate({ orgId: organisation.org_id, softwareId });
  const softwareStatement = await context.directory.issueSoftwareStatement({
    software_id: softwareId,
    software_client_id: softwareId,
    software_client_name: input.client_name,
    ...(input.logo_uri === undefined ? {} : { software_logo_uri: input.logo_uri }),
    software_redirect_uris: input.redirect_uris,
    software_roles: input.roles,
    software_jwks: signing.jwks,
    org_id: organisation.org_id,
    org_name: organisation.name,
  });
  const signingJwk = { ...(await exportJWK(signing.privateKey)), kid: signing.publicJwk.kid, alg: signing.publicJwk.alg, use: 'sig' };
  const software: SoftwareRow = {
    software_id: softwareId,
    org_id: organisation.org_id,
    client_name: input.client_name,
    roles: input.roles,
    redirect_uris: input.redirect_uris,
    logo_uri: input.logo_uri ?? null,
    software_statement: softwareStatement,
    transport_certificate: transport.certificatePem,
    signing_jwks: signing.jwks,
    sealed_keys: sealSoftwareKeys({ transportKeyPem: transport.privateKeyPem, signingJwk }, softwareId, context.sealKey),
    created_at: context.clock.now(),
  };
  await insertSoftware(context.db, software);
  return software;
}

/** The organisation's own software statement; another's, or none, is 404. */
export async function readSoftwareStatement(context: OnboardingContext, organisation: OrganisationRow, softwareId: string): Promise<SoftwareRow> {
  const software = await findSoftware(context.db, organisation.org_id, softwareId);
  if (!software) throw new Problem(404, 'not-found', `Organisation ${organisation.org_id} has no software ${softwareId}`);
  return software;
}

/**
 * The private keys kept for the software. Keys sealed under another KEY_ENCRYPTION_KEY (the
 * server's was changed since) cannot be opened again: the partner is told to make a new
 * statement, rather than given a bare 500.
 */
export function openKeptKeys(context: OnboardingContext, software: SoftwareRow): SoftwarePrivateKeys {
  try {
    return openSoftwareKeys(software.sealed_keys, software.software_id, context.sealKey);
  } catch (error) {
    throw new Problem(409, 'conflict', `The keys of software ${software.software_id} can no longer be opened (the server's key-encryption key changed since): create a new software statement`, { cause: error });
  }
}
