import { hash, randomBytes } from 'node:crypto';

/*
 * An API key as its holder sees it: `pck_<prefix>_<secret>`. The secret is 32 random bytes (256
 * bits, above the 128 the gateway requires), base64url. The prefix (8 characters of its own
 * randomness) is kept in clear, so that a key can be named in a list, a log or a support call
 * without being usable; the `pck_` marker lets secret scanners recognise a leaked key.
 */

const MARKER = 'pck';
const KEY_SHAPE = /^pck_([A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  /** The whole key: shown once, never stored. */
  key: string;
  prefix: string;
  /** What is stored and looked up. */
  hash: string;
}

/** SHA-256 of a presented key, base64url: a fast hash is enough for 256 random bits. */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'base64url');
}

/** A fresh key. */
export function newApiKey(): NewApiKey {
  const prefix = randomBytes(6).toString('base64url');
  const key = `${MARKER}_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The prefix of a well-shaped key, or undefined for anything that cannot be one of ours. */
export function apiKeyPrefix(presented: string): string | undefined {
  return KEY_SHAPE.exec(presented)?.[1];
}
