import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { SignJWT } from 'jose';

import type { SoftwareStatement } from '../../src/auth/registration/software-statement.schema.ts';
import type { CertificateWithKey } from '../../src/pki/issue-client-certificate.ts';
import { directorySigningAlgorithm, loadOrCreateDirectoryKey } from './directory-signing-key.ts';
import { loadOrCreateTransportCa, type TransportCa } from './transport-ca.ts';
import { issueTransportCertificate, type TransportSubject } from './transport-certificate.ts';

/**
 * A stand-in for the UK Open Banking Directory: it issues software statements in the Directory's
 * shape, signed with a key kept under `certs/directory/`, whose public JWKS the authorization
 * server trusts when no production directory is configured, and transport certificates from a CA
 * of its own kept there too, which the partner listener then trusts. It checks nothing about the
 * partner; that is the point of a sandbox, and why its keys must never be trusted in production.
 */

/** The `iss` of every software statement the sandbox directory issues. */
export const sandboxDirectoryIssuer = 'Portcullis Sandbox Directory';

/**
 * The claims to put in a software statement. The software's id, redirect URIs, roles and keys
 * are required; every other claim has a sandbox default and may be overridden, `iat` included.
 */
export type SoftwareStatementClaims = Partial<SoftwareStatement> &
  Pick<SoftwareStatement, 'software_id' | 'software_redirect_uris' | 'software_roles'> &
  (Required<Pick<SoftwareStatement, 'software_jwks'>> | Required<Pick<SoftwareStatement, 'software_jwks_endpoint'>>);

export interface IssueSoftwareStatementOptions {
  /** Lifetime as a jose duration such as `'1h'`. Default: no `exp`, as the Directory issues them. */
  expiresIn?: string;
}

export interface SandboxDirectory {
  /** The public JWKS file to add to the authorization server's trusted directories. */
  jwksPath: string;
  /** Signs a software statement with the directory key. */
  issueSoftwareStatement(claims: SoftwareStatementClaims, options?: IssueSoftwareStatementOptions): Promise<string>;
  /** The CA of the partners' transport certificates, the one the partner listener trusts. */
  transportCa: TransportCa;
  /** A transport certificate and its fresh key for a partner's software. */
  issueTransportCertificate(subject: TransportSubject): CertificateWithKey;
}

/**
 * Opens the sandbox directory whose keys live under `<certsDir>/directory/`, creating them on
 * first use and reusing them afterwards.
 *
 * @example
 * const directory = await createSandboxDirectory('./certs');
 * const ssa = await directory.issueSoftwareStatement({
 *   software_id: 'sandbox-software',
 *   software_redirect_uris: ['https://tpp.example/callback'],
 *   software_roles: ['AISP', 'PISP'],
 *   software_jwks: softwareKeys.jwks,
 * });
 */
export async function createSandboxDirectory(certsDir: string): Promise<SandboxDirectory> {
  const dir = join(certsDir, 'directory');
  const { privateKey, kid, jwksPath } = await loadOrCreateDirectoryKey(dir);
  const transportCa = await loadOrCreateTransportCa(dir);
  return {
    jwksPath,
    transportCa,
    issueTransportCertificate: (subject) => issueTransportCertificate(transportCa, subject),
    async issueSoftwareStatement(claims, options = {}) {
      const statement = new SignJWT({ ...sandboxDefaults(claims.software_id), ...claims }).setProtectedHeader({
        alg: directorySigningAlgorithm,
        kid,
        typ: 'JWT',
      });
      if (options.expiresIn !== undefined) statement.setExpirationTime(options.expiresIn);
      return statement.sign(privateKey);
    },
  };
}

function sandboxDefaults(softwareId: string): Partial<SoftwareStatement> {
  return {
    iss: sandboxDirectoryIssuer,
    iat: Math.floor(Date.now() / 1000),
    jti: randomUUID(),
    software_client_id: softwareId,
    software_client_name: `Sandbox software ${softwareId}`,
    software_version: '1.0',
    software_mode: 'Test',
    software_environment: 'sandbox',
    org_id: 'sandbox-organisation',
    org_name: 'Sandbox Organisation',
    org_status: 'Active',
  };
}
