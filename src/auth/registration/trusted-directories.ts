import { readFile } from 'node:fs/promises';

import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors as joseErrors,
  type FetchImplementation,
  type JWTVerifyGetKey,
} from 'jose';

import { ConfigError } from '../../config/config.ts';

/**
 * The keys of every directory we trust to sign software statements, as one jose key resolver.
 * A directory is either a JWKS file (the sandbox directory, a pinned copy of a production
 * directory's keys) or the https URL where the directory publishes its JWKS. Files are read and
 * checked at startup so that a typo stops the server; URLs are fetched lazily, so that a directory
 * being briefly down does not stop us from starting, and jose refetches them when it meets a `kid`
 * it has not seen, which follows the directory's key rotation.
 */

/** Resolves the directory key that signed a software statement; pass it to jose's `jwtVerify`. */
export type TrustedDirectoryKeys = JWTVerifyGetKey;

export interface TrustedDirectoryOptions {
  /** Fetches the https sources. Default: the global `fetch`; tests pass their own. */
  fetch?: FetchImplementation;
}

interface KeySet {
  source: string;
  remote: boolean;
  getKey: JWTVerifyGetKey;
}

/**
 * Loads the trusted directories' keys and fails fast, naming the source, when a file is missing,
 * is not JSON, is not a JWK Set, or holds private key material.
 *
 * A key that no directory holds surfaces as jose's `JWKSNoMatchingKey`. When a directory URL
 * cannot be fetched and no other directory holds the key, the resolver throws a plain `Error`
 * naming the URL: that is our outage, not the partner's mistake, so it becomes a 500.
 *
 * @example
 * const directories = await loadTrustedDirectories(['certs/directory/jwks.json', 'https://keystore.openbanking.org.uk/keystore/openbanking.jwks']);
 * await jwtVerify(ssa, directories, { algorithms: ['PS256'] });
 */
export async function loadTrustedDirectories(
  sources: readonly string[],
  options: TrustedDirectoryOptions = {},
): Promise<TrustedDirectoryKeys> {
  if (sources.length === 0) {
    throw new ConfigError('invalid configuration:\n  directoryJwks: at least one directory JWKS is required');
  }
  const keySets = await Promise.all(sources.map((source) => openKeySet(source, options)));

  return async function resolveDirectoryKey(protectedHeader, token) {
    let unavailable: Error | undefined;
    for (const { source, remote, getKey } of keySets) {
      try {
        return await getKey(protectedHeader, token);
      } catch (err) {
        if (err instanceof joseErrors.JWKSNoMatchingKey) continue;
        if (!remote) throw err;
        unavailable ??= new Error(`directory JWKS ${source} is unavailable`, { cause: err });
      }
    }
    throw unavailable ?? new joseErrors.JWKSNoMatchingKey();
  };
}

async function openKeySet(source: string, options: TrustedDirectoryOptions): Promise<KeySet> {
  if (source.startsWith('https://')) {
    if (!URL.canParse(source)) rejectSource(source, 'is not a valid URL');
    const getKey = createRemoteJWKSet(new URL(source), options.fetch ? { [customFetch]: options.fetch } : undefined);
    return { source, remote: true, getKey };
  }
  if (source.startsWith('http://')) {
    rejectSource(source, 'must be fetched over https, or anyone on the path could swap the keys');
  }
  return { source, remote: false, getKey: createLocalJWKSet(await readJwksFile(source)) };
}

async function readJwksFile(source: string): Promise<{ keys: Record<string, unknown>[] }> {
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (err) {
    rejectSource(source, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  let jwks: unknown;
  try {
    jwks = JSON.parse(text);
  } catch {
    rejectSource(source, 'is not JSON');
  }
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every(isJwkObject)) {
    rejectSource(source, 'is not a JWK Set: expected {"keys": [...]} with at least one key');
  }
  // RFC 7517 §6.3.2, §6.4.1: "d" and "k" carry private or secret material. A trust anchor file
  // holding them is a private key pointed at by mistake, and must not be left readable as public.
  if (keys.some((key) => 'd' in key || 'k' in key)) {
    rejectSource(source, 'holds private key material; point to the public JWKS');
  }
  return { keys };
}

function isJwkObject(key: unknown): key is Record<string, unknown> {
  return typeof key === 'object' && key !== null && typeof (key as { kty?: unknown }).kty === 'string';
}

function rejectSource(source: string, problem: string): never {
  throw new ConfigError(`invalid configuration:\n  directoryJwks: ${source} ${problem}`);
}
