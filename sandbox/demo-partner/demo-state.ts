import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { importJWK, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';

import { DemoFailed } from './demo-failure.ts';

/**
 * What the demo partner keeps between commands, as a TPP keeps it in its own configuration: its
 * client id and registration access token from the bank, its identity in the directory, and its
 * private signing key as a JWK. The built-in partner's lives in `<DATA_DIR>/demo-partner.json`
 * (gitignored, mode 0600), beside the sandbox database it belongs to, so that wiping one wipes
 * both; a bundle's beside its configuration file (`DemoProfile.registrationPath`).
 */

/** A bundle's registration, beside its configuration file (the developer portal's bundles carry one). */
export const BUNDLE_REGISTRATION_FILE = 'demo-registration.json';

const demoPartnerSchema = z.object({
  issuer: z.string().min(1),
  clientId: z.string().min(1),
  registrationClientUri: z.string().min(1),
  registrationAccessToken: z.string().min(1),
  orgId: z.string().min(1),
  softwareId: z.string().min(1),
  redirectUri: z.url({ protocol: /^https$/ }),
  signingKey: z.looseObject({ kty: z.literal('RSA'), kid: z.string().min(1), alg: z.literal('PS256'), d: z.string().min(1) }),
});

/** The demo partner's saved registration. */
export interface DemoPartner {
  /** The issuer it registered with; its client exists nowhere else. */
  issuer: string;
  clientId: string;
  /** RFC 7592 client configuration endpoint, and the token that reads, updates or deletes it. */
  registrationClientUri: string;
  registrationAccessToken: string;
  orgId: string;
  softwareId: string;
  redirectUri: string;
  /** The software's private PS256 key, with the `kid` its public half has in the registered JWKS. */
  signingKey: JWK;
}

/** A saved registration with its signing key ready to use. */
export interface LoadedDemoPartner extends DemoPartner {
  privateKey: CryptoKey;
}

/** Writes the registration to `path` (mode 0600). */
export async function saveDemoPartner(path: string, partner: DemoPartner): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(partner, null, 2)}\n`, { mode: 0o600 });
}

/** Reads the registration `register` saved at `path`, checking its shape, since it is a file anyone can edit. */
export async function loadDemoPartner(path: string): Promise<LoadedDemoPartner> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new DemoFailed(`no demo partner is registered (${path} is missing): run npm run demo -- register (with the same --config, if any)`);
  }
  const parsed = demoPartnerSchema.safeParse(parseJson(text));
  if (!parsed.success) throw new DemoFailed(`${path} is not a demo partner registration: run npm run demo -- register again (with the same --config, if any)`);
  const partner: DemoPartner = parsed.data;
  return { ...partner, privateKey: (await importJWK(partner.signingKey, 'PS256')) as CryptoKey };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
