import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/*
 * An authorization server other than ours, as an `oauth2` API trusts one: an issuer identifier
 * and a JWKS served over HTTP, with which the test mints the JWT bearer tokens its callers present.
 */

export interface TokenOptions {
  /** Claims over the defaults (`iss`, `aud`, `sub`, `client_id`, `iat`, `exp` in 5 minutes, `jti`). */
  claims?: JWTPayload;
  /** Signs with a key the JWKS does not publish. */
  foreignKey?: boolean;
}

export interface JwtIssuer {
  issuer: string;
  jwksUri: string;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  token(audience: string, options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startJwtIssuer(): Promise<JwtIssuer> {
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const foreign: CryptoKey = (await generateKeyPair('ES256')).privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches += 1;
    res.setHeader('Content-Type', 'application/jwk-set+json');
    res.end(jwks);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `https://issuer-${kid.slice(0, 8)}.example`;
  return {
    issuer,
    jwksUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
    jwksFetches: () => fetches,
    async token(audience, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, aud: audience, sub: `user-${randomUUID()}`, client_id: `client-${randomUUID()}`, iat: now, exp: now + 300, jti: randomUUID(), ...options.claims })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
        .sign(options.foreignKey ? foreign : privateKey);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
