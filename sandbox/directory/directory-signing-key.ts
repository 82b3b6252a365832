import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

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
  let text: string;
  try {
    text = await readFile(keyPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
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
  // Written in full beside the target, then linked into place: link fails if the key exists, so
  // when two processes start together the first key wins, and nobody reads a half-written file.
  const temporary = `${keyPath}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600 });
  try {
    await link(temporary, keyPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return (await readPrivateJwk(keyPath)) as JWK;
  } finally {
    await unlink(temporary);
  }
  return jwk;
}

/** Writes beside the target and renames, so that a reader never sees a half-written JWKS. */
async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, content, { mode: 0o644 });
  await rename(temporary, path);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
