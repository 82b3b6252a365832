import type { JWK } from 'jose';

import type { ObRole } from '../../openbanking/ob-vocabulary.ts';

/*
 * What a bank integration's sandbox directory offers the developer portal, so that a partner can
 * onboard from the portal's pages alone (`BankIntegration.directoryOnboarding`): sign its
 * organisation up, make a software statement for an application, hand out the bundle, and give
 * the portal the software's keys for the registration it performs on the partner's behalf. Only a
 * sandbox can offer it: a real directory never holds a partner's private keys.
 *
 * A refusal (an unknown organisation or software, a statement cap reached, keys that no longer
 * open) is a `Problem` (`src/shared/problem.ts`) with a 4xx status and a detail written for the
 * partner.
 */

/** A software statement as the directory keeps it, without its private keys. */
export interface DirectorySoftware {
  softwareId: string;
  organisationId: string;
  clientName: string;
  roles: ObRole[];
  redirectUris: string[];
  /** The signed software statement assertion (SSA). */
  softwareStatement: string;
  /** The software's transport certificate (PEM), for mutual TLS with the bank. */
  transportCertificatePem: string;
  /** The bundle's file name, and where the demo client's configuration sits once it is unzipped. */
  bundleFileName: string;
  demoConfigPath: string;
}

/** The software's private keys, which the directory keeps for the sandbox's convenience. */
export interface DirectorySoftwareKeys {
  /** The software's signing key: a private JWK with its `kid` and `alg`. */
  signingJwk: JWK;
  /** The transport certificate's private key, PKCS #8 PEM. */
  transportKeyPem: string;
}

/** A registration made with the software, for the bundle to carry (the demo client's `demo-registration.json`). */
export interface BundleRegistration {
  clientId: string;
  registrationClientUri: string;
  registrationAccessToken: string;
}

export interface DirectoryOnboarding {
  /** Signs an organisation up at the directory. */
  createOrganisation(input: { name: string; contactEmail: string }): Promise<{ organisationId: string }>;
  /** A new software statement for one of the organisation's applications. */
  createSoftwareStatement(organisationId: string, input: { clientName: string; roles: ObRole[]; redirectUris: string[] }): Promise<DirectorySoftware>;
  readSoftwareStatement(organisationId: string, softwareId: string): Promise<DirectorySoftware>;
  softwareKeys(organisationId: string, softwareId: string): Promise<DirectorySoftwareKeys>;
  /** The software's bundle (a zip, and the name to save it as), with the registration in it when one is given. */
  bundle(organisationId: string, softwareId: string, registration?: BundleRegistration): Promise<{ fileName: string; zip: Uint8Array }>;
}
