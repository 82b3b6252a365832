import { randomUUID } from 'node:crypto';

import { SignJWT } from 'jose';

import type { BenchClient } from './bench-clients.ts';

/*
 * Client assertions (RFC 7523 §3, private_key_jwt) signed between the timed slices. Signing is the
 * client's cost, not the server's: on a 2-core machine, signing 2,000+ PS256 assertions a second in
 * the load generator would take a core away from the server under test. Each assertion still has
 * its own jti and signature, so the server does all of its work per request (signature check,
 * replay claim), and it is used within a minute of being signed, as a real client's would be: the
 * replay stores hold what they would hold in production. Each server gets its own pool, signed the
 * same way, topped up before each of its slices.
 */

/** A ready-to-send `application/x-www-form-urlencoded` token request body. */
export type TokenRequestBody = string;

/** Seconds a client assertion is valid, like openid-client's (`exp` = `iat` + 60). */
const ASSERTION_LIFETIME = 60;

/** Seconds an unused assertion stays in the pool: well inside its lifetime, whatever the slice length. */
const MAX_AGE = 20;

// Signatures in flight at once: enough to keep libuv's crypto threads busy.
const SIGNING_BATCH = 256;

/** One fresh client assertion, signed now. */
export async function signClientAssertion(client: BenchClient, audience: string): Promise<string> {
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: client.alg, kid: client.kid })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${ASSERTION_LIFETIME}s`)
    .sign(client.privateKey);
}

/** The client credentials request of `client` (RFC 6749 §4.4.2) with `assertion`. */
export function tokenRequestBody(client: BenchClient, assertion: string): TokenRequestBody {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    scope: 'accounts',
    client_id: client.clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  }).toString();
}

/** Token requests for one server, each with its own assertion, taking the clients in turn. */
export interface AssertionPool {
  /** The next pre-signed request, or undefined when the pool is empty. */
  take(): TokenRequestBody | undefined;
  /** Signs one now, for when the pool ran dry during a slice. */
  signNow(): Promise<TokenRequestBody>;
  /** Tops the pool up to `count` unused requests, dropping used ones. */
  fillTo(count: number): Promise<void>;
}

export function assertionPool(clients: BenchClient[], audience: string): AssertionPool {
  let bodies: TokenRequestBody[] = [];
  let signedAt: number[] = [];
  let next = 0;
  let turn = 0;

  async function signNext(): Promise<TokenRequestBody> {
    const client = clients[turn++ % clients.length]!;
    return tokenRequestBody(client, await signClientAssertion(client, audience));
  }

  return {
    take: () => (next < bodies.length ? bodies[next++] : undefined),
    signNow: signNext,
    async fillTo(count) {
      // Leftovers too old to be sure of outliving the next slice are dropped, not sent expired.
      const fresh = performance.now() - MAX_AGE * 1000;
      let keep = next;
      while (keep < bodies.length && signedAt[keep]! < fresh) keep++;
      bodies = bodies.slice(keep);
      signedAt = signedAt.slice(keep);
      next = 0;
      while (bodies.length < count) {
        const batch = Array.from({ length: Math.min(SIGNING_BATCH, count - bodies.length) }, signNext);
        bodies.push(...(await Promise.all(batch)));
        const now = performance.now();
        while (signedAt.length < bodies.length) signedAt.push(now);
      }
    },
  };
}
