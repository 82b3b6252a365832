import { strToU8, zipSync, type Zippable } from 'fflate';

import type { BundleRegistration } from '../../../src/portal/openbanking/directory-onboarding.ts';
import type { DemoConfig } from '../../demo-partner/demo-config.schema.ts';
import { BUNDLE_REGISTRATION_FILE, type DemoPartner } from '../../demo-partner/demo-state.ts';
import { transportSubjectDn } from '../transport-certificate.ts';
import { bundleReadme } from './bundle-readme.ts';
import type { OrganisationRow, SoftwareRow } from './directory-register.store.ts';
import type { OnboardingContext } from './onboarding-context.ts';
import { postmanCollection } from './postman-collection.ts';
import type { SoftwarePrivateKeys } from './software-keys-seal.ts';

/** The files of a bundle; the demo configuration names them, so they are named once, here. */
const FILES = {
  softwareStatement: 'software-statement.jwt',
  signingKey: 'signing-key.jwk.json',
  transportCertificate: 'transport.pem',
  transportKey: 'transport.key',
} as const;

// Unix permissions in the zip's external attributes (high 16 bits): private keys 0600, the rest 0644.
const PRIVATE = { os: 3, attrs: 0o100600 << 16 };
const PUBLIC = { os: 3, attrs: 0o100644 << 16 };

const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The folder a software's bundle unzips into, and the bundle's file name. */
export const bundleFolder = (softwareId: string) => `sandbox-${softwareId}`;
export const bundleFileName = (softwareId: string) => `${bundleFolder(softwareId)}.zip`;
export const DEMO_CONFIG_FILE = 'demo-partner.config.json';

/** The redirect URI the demo client listens on: the first on this machine, else the first. */
function demoRedirectUri(uris: readonly string[]): string {
  return uris.find((uri) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(uri).hostname)) ?? uris[0]!;
}

/**
 * The zip a partner downloads for one software statement, in a folder named after the software:
 * everything to register and make a first call, with the demo client or Postman (README.txt).
 * Given the registration the developer portal made with it, the bundle also holds the demo
 * client's `demo-registration.json`, so that the demo runs consents with that client at once.
 */
export function softwareBundle(context: Pick<OnboardingContext, 'issuer' | 'mtlsBaseUrl' | 'directory'>, organisation: OrganisationRow, software: SoftwareRow, keys: SoftwarePrivateKeys, registration?: BundleRegistration): Uint8Array {
  const { issuer, mtlsBaseUrl } = context;
  const folder = bundleFolder(software.software_id);
  const subject = { orgId: organisation.org_id, softwareId: software.software_id };
  const redirectUri = demoRedirectUri(software.redirect_uris);
  const demoConfig: DemoConfig = { issuer, mtlsBaseUrl, orgId: organisation.org_id, softwareId: software.software_id, clientName: software.client_name, roles: software.roles, redirectUri, files: FILES };
  const text: Record<string, [string, typeof PUBLIC]> = {
    'README.txt': [bundleReadme({ clientName: software.client_name, orgId: organisation.org_id, softwareId: software.software_id, issuer, mtlsBaseUrl, folder, clientId: registration?.clientId }), PUBLIC],
    [FILES.softwareStatement]: [`${software.software_statement}\n`, PUBLIC],
    [FILES.signingKey]: [jsonText(keys.signingJwk), PRIVATE],
    'signing-jwks.json': [jsonText(software.signing_jwks), PUBLIC],
    [FILES.transportCertificate]: [software.transport_certificate, PUBLIC],
    [FILES.transportKey]: [keys.transportKeyPem, PRIVATE],
    'transport-ca.pem': [context.directory.transportCa.certificatePem, PUBLIC],
    [DEMO_CONFIG_FILE]: [jsonText(demoConfig), PUBLIC],
    'postman_collection.json': [jsonText(postmanCollection({
      clientName: software.client_name, roles: software.roles, issuer, mtlsBaseUrl, softwareStatement: software.software_statement, redirectUri, subjectDn: transportSubjectDn(subject),
    })), PUBLIC],
  };
  if (registration) {
    const saved: DemoPartner = { issuer, ...registration, orgId: organisation.org_id, softwareId: software.software_id, redirectUri, signingKey: keys.signingJwk };
    text[BUNDLE_REGISTRATION_FILE] = [jsonText(saved), PRIVATE];
  }
  const entries: Zippable = {};
  for (const [name, [content, attributes]] of Object.entries(text)) entries[`${folder}/${name}`] = [strToU8(content), { ...attributes, mtime: software.created_at }];
  return zipSync(entries, { level: 6 });
}
