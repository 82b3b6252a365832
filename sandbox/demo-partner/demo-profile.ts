import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { importJWK, type CryptoKey, type JWK } from 'jose';

import type { Config } from '../../src/config/config.ts';
import { createSandboxDirectory } from '../directory/sandbox-directory.ts';
import { createSoftwareKeys, type SoftwareKeys, type SoftwarePublicJwk } from '../directory/software-keys.ts';
import { demoConfigSchema } from './demo-config.schema.ts';
import { DemoFailed } from './demo-failure.ts';
import { DEMO_IDENTITY } from './demo-identity.ts';
import { BUNDLE_REGISTRATION_FILE } from './demo-state.ts';
import { readDevPkiFile } from './partner-http.ts';

/**
 * Who the demo acts as. Built in, it is "Demo Budgeting App": the sample client certificate of
 * the development PKI, and at each registration fresh keys and a software statement it asks the
 * sandbox directory for directly. With `--config <file>` (a bundle's `demo-partner.config.json`),
 * it is the partner's own software: the bundle's transport certificate, signing key and software
 * statement, and the bank the file names; its registration is kept beside the file.
 */
export interface DemoProfile {
  /** The environment's configuration, with the bank the profile names. */
  config: Config;
  /** What the partner presents on every mutual-TLS connection, and the file it came from. */
  transport: { certificatePem: string; privateKeyPem: string; path: string };
  /** Where `register` keeps the registration and the other commands find it. */
  registrationPath: string;
  /** What the partner registers with; `callbackPort` places the built-in partner's redirect URI. */
  software(callbackPort: number): Promise<RegisteringSoftware>;
}

/** A software statement and what goes with it, ready for a registration request. */
export interface RegisteringSoftware {
  orgId: string;
  softwareId: string;
  clientName: string;
  roles: readonly string[];
  redirectUri: string;
  softwareStatement: string;
  keys: SoftwareKeys;
}

export async function builtInProfile(config: Config): Promise<DemoProfile> {
  const [certificatePem, privateKeyPem] = await Promise.all([readDevPkiFile(config.certsDir, 'sample-client.pem'), readDevPkiFile(config.certsDir, 'sample-client.key')]);
  return {
    config,
    transport: { certificatePem, privateKeyPem, path: join(config.certsDir, 'sample-client.pem') },
    registrationPath: join(config.dataDir, 'demo-partner.json'),
    async software(callbackPort) {
      const redirectUri = `https://localhost:${callbackPort}/callback`;
      const keys = await createSoftwareKeys('PS256');
      const directory = await createSandboxDirectory(config.certsDir);
      const softwareStatement = await directory.issueSoftwareStatement({
        software_id: DEMO_IDENTITY.softwareId,
        software_client_name: DEMO_IDENTITY.clientName,
        org_id: DEMO_IDENTITY.orgId,
        org_name: DEMO_IDENTITY.orgName,
        software_roles: ['AISP', 'PISP', 'CBPII'],
        software_redirect_uris: [redirectUri],
        software_jwks: keys.jwks,
      });
      return { orgId: DEMO_IDENTITY.orgId, softwareId: DEMO_IDENTITY.softwareId, clientName: DEMO_IDENTITY.clientName, roles: ['AISP', 'PISP', 'CBPII'], redirectUri, softwareStatement, keys };
    },
  };
}

/** The profile a bundle's configuration file describes; a file that is not one fails with what is wrong. */
export async function bundleProfile(config: Config, file: string): Promise<DemoProfile> {
  const dir = dirname(resolve(file));
  const parsed = demoConfigSchema.safeParse(parseJson(await readBundleFile(resolve(file))));
  if (!parsed.success) throw new DemoFailed(`${file} is not a demo partner configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  const bundle = parsed.data;
  const read = (name: string) => readBundleFile(join(dir, name));
  const [certificatePem, privateKeyPem, softwareStatement, signingKey] = await Promise.all([
    read(bundle.files.transportCertificate), read(bundle.files.transportKey), read(bundle.files.softwareStatement), read(bundle.files.signingKey),
  ]);
  return {
    config: { ...config, issuer: bundle.issuer, mtlsBaseUrl: bundle.mtlsBaseUrl },
    transport: { certificatePem, privateKeyPem, path: join(dir, bundle.files.transportCertificate) },
    registrationPath: join(dir, BUNDLE_REGISTRATION_FILE),
    async software() {
      const keys = await bundleKeys(parseJson(signingKey) as JWK | undefined, bundle.files.signingKey);
      return { orgId: bundle.orgId, softwareId: bundle.softwareId, clientName: bundle.clientName, roles: bundle.roles, redirectUri: bundle.redirectUri, softwareStatement: softwareStatement.trim(), keys };
    },
  };
}

async function bundleKeys(jwk: JWK | undefined, name: string): Promise<SoftwareKeys> {
  if (jwk?.kty !== 'RSA' || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string' || jwk.alg !== 'PS256') throw new DemoFailed(`${name} is not a PS256 private JWK with a kid`);
  const publicJwk: SoftwarePublicJwk = { kty: 'RSA', n: jwk.n, e: jwk.e, kid: jwk.kid, use: 'sig', alg: 'PS256' };
  return { privateKey: (await importJWK(jwk, 'PS256', { extractable: true })) as CryptoKey, publicJwk, jwks: { keys: [publicJwk] } };
}

async function readBundleFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new DemoFailed(`${path} is missing: unzip the whole bundle the sandbox directory gave you`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
