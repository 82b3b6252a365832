import { hash } from 'node:crypto';

import canonicalize from 'canonicalize';

/**
 * The fingerprint an idempotency key is stored with (OB Read/Write: the same key must come with
 * the same request): SHA-256 of the body's RFC 8785 canonical JSON, so that key order and number
 * spelling do not make two equal bodies differ. Bodies reach here parsed and depth-bounded at the
 * listener's edge, so the canonicalizer's recursion stays shallow.
 */
export function requestHash(body: unknown): string {
  return hash('sha256', canonicalize(body) ?? '', 'base64url');
}
