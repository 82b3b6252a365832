import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { importJWK, SignJWT, type CryptoKey, type JWTHeaderParameters, type JWTPayload } from 'jose';

import { createSandboxDirectory, type SandboxDirectory, type SoftwareStatementClaims } from '../../../sandbox/directory/sandbox-directory.ts';
import { createSoftwareKeys, type SoftwareKeys } from '../../../sandbox/directory/software-keys.ts';
import { loadTrustedDirectories, type TrustedDirectoryKeys } from '../../../src/auth/registration/trusted-directories.ts';

/**
 * One sandbox directory in a temporary certs folder, trusted; one partner's software keys; and a
 * way to sign anything with the directory key, for statements the sandbox would never issue.
 */
export interface RegistrationFixture {
  certsDir: string;
  directory: SandboxDirectory;
  directories: TrustedDirectoryKeys;
  softwareKeys: SoftwareKeys;
  /** Claims of a valid statement for `softwareKeys`. */
  claims: SoftwareStatementClaims;
  directoryKey: { privateKey: CryptoKey; kid: string };
  /** Signs arbitrary claims with the directory key, under the directory's kid unless overridden. */
  signAsDirectory(payload: JWTPayload, header?: Partial<JWTHeaderParameters>): Promise<string>;
  cleanUp(): Promise<void>;
}

export const issuer = 'https://as.portcullis.test';

export async function createRegistrationFixture(): Promise<RegistrationFixture> {
  const certsDir = await mkdtemp(join(tmpdir(), 'portcullis-registration-'));
  const directory = await createSandboxDirectory(certsDir);
  const directories = await loadTrustedDirectories([directory.jwksPath]);
  const softwareKeys = await createSoftwareKeys('PS256');
  const privateJwk = JSON.parse(await readFile(join(certsDir, 'directory', 'signing-key.json'), 'utf8'));
  const directoryKey = (await importJWK(privateJwk, 'PS256')) as CryptoKey;
  return {
    certsDir,
    directory,
    directories,
    softwareKeys,
    directoryKey: { privateKey: directoryKey, kid: privateJwk.kid },
    claims: {
      software_id: 'software-1',
      software_client_name: 'Budget Buddy',
      software_logo_uri: 'https://tpp.example/logo.png',
      software_redirect_uris: ['https://tpp.example/callback', 'https://tpp.example/callback-2'],
      software_roles: ['AISP', 'PISP'],
      software_jwks: softwareKeys.jwks,
    },
    signAsDirectory(payload, header = {}) {
      return new SignJWT(payload).setProtectedHeader({ alg: 'PS256', kid: privateJwk.kid, ...header }).sign(directoryKey);
    },
    cleanUp: () => rm(certsDir, { recursive: true, force: true }),
  };
}

/** Asserts that `promise` rejects with exactly this OAuth error code and description. */
export async function assertOAuthError(promise: Promise<unknown>, error: string, description: string): Promise<void> {
  await assert.rejects(promise, (err: { error?: string; error_description?: string; status?: number }) => {
    assert.equal(err.error, error);
    assert.equal(err.error_description, description);
    assert.equal(err.status, 400);
    return true;
  });
}

/** The same, for a function that throws synchronously. */
export function assertOAuthErrorSync(run: () => unknown, error: string, description: string): void {
  assert.throws(run, (err: { error?: string; error_description?: string; status?: number }) => {
    assert.equal(err.error, error);
    assert.equal(err.error_description, description);
    assert.equal(err.status, 400);
    return true;
  });
}
