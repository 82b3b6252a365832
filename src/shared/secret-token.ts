import { hash, randomBytes } from 'node:crypto';

/*
 * Bearer secrets of the browser parts (the portal's mailed links, session cookies and invitations,
 * the console's sessions): 256 random bits, base64url. The store keeps only their SHA-256: a leaked
 * table opens nothing, and a secret this long needs no slow hash.
 */

/** What a well-formed token looks like; anything else is refused before the store is asked. */
export const SECRET_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const hashSecretToken = (token: string) => hash('sha256', token, 'base64url');

/** A fresh token and the hash to store. */
export function newSecretToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSecretToken(token) };
}
