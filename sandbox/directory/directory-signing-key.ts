import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

import { createOnce, readIfPresent, writeAtomically } from './directory-files.ts';

/**
 * The sandbox directory's signing key, made once and kept on disk, so that software statements
 * issued before a restart still verify after it and the authorization server can trust the
 * directory through a plain JWKS file. PS256, as the UK Open Banking Directory signs, so partners
 * meet in the sandbox the algorithm they will meet in production.
 */

/** The algorithm the sandbox directory signs with. */
export const directorySigningAlgorithm = 'PS256';

export interface DirectorySigningKey {
  privateKey: CryptoKey;
  kid: string;
  /** The public JWKS file, the one to trust. */
  jwksPath: string;
}

/**
 * Reads the key from `<dir>/signing-key.json`, or creates it there (mode 0600) when absent, and
 * (re)writes the public `<dir>/jwks.json` from it.
 */
export async function loadOrCreateDirectoryKey(dir: string): Promise<DirectorySigningKey> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, 'signing-key.json');
  const jwk = (await readPrivateJwk(keyPath)) ?? (await createPrivateJwk(keyPath));
  const { kty, n, e, kid, alg, use } = jwk;
  const jwksPath = join(dir, 'jwks.json');
  await writeAtomically(jwksPath, `${JSON.stringify({ keys: [{ kty, n, e, kid, alg, use }] }, null, 2)}\n`);
  return { privateKey: (await importJWK(jwk, directorySigningAlgorithm)) as CryptoKey, kid: jwk.kid as string, jwksPath };
}

async function readPrivateJwk(keyPath: string): Promise<JWK | undefined> {
  const text = await readIfPresent(keyPath);
  return text === undefined ? undefined : checkPrivateJwk(keyPath, text);
}

function checkPrivateJwk(keyPath: string, text: string): JWK {
  const jwk = parseJson(text) as JWK | undefined;
  if (jwk?.kty !== 'RSA' || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string' || jwk.alg !== directorySigningAlgorithm) {
    throw new Error(`${keyPath} is not a ${directorySigningAlgorithm} private JWK with a kid; delete it to make a new directory key`);
  }
  return jwk;
}

async function createPrivateJwk(keyPath: string): Promise<JWK> {
  const { privateKey, publicKey } = await generateKeyPair(directorySigningAlgorithm, { extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: directorySigningAlgorithm, use: 'sig' };
  return checkPrivateJwk(keyPath, await createOnce(keyPath, `${JSON.stringify(jwk, null, 2)}\n`));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
