import type { JSONWebKeySet, JWK } from 'jose';

// RFC 7518 §6.2.2 and §6.3.2: the members that make a JWK private.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The public half of signing keys: what verifies what they signed. */
export function publicJwks(keys: readonly JWK[]): JSONWebKeySet {
  return {
    keys: keys.map((key) => {
      const copy: JWK = { ...key };
      for (const member of PRIVATE_MEMBERS) delete copy[member];
      return copy;
    }),
  };
}
