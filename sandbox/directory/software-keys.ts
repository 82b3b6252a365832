import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/**
 * A partner's software signing key, as a partner would register it with the directory: the
 * private key signs registration requests (and later client assertions and request objects), and
 * the public JWKS goes into the software statement as `software_jwks`.
 */

/** The algorithms a partner may sign with; the authorization server accepts no others. */
export type SoftwareSigningAlgorithm = 'PS256' | 'ES256';

export interface SoftwarePublicJwk extends JWK {
  kty: string;
  kid: string;
  use: 'sig';
  alg: SoftwareSigningAlgorithm;
}

export interface SoftwareKeys {
  /** Extractable, so that a demo partner can save it next to its configuration. */
  privateKey: CryptoKey;
  publicJwk: SoftwarePublicJwk;
  jwks: { keys: SoftwarePublicJwk[] };
}

/**
 * Generates a software signing key pair, with the RFC 7638 thumbprint as `kid`.
 *
 * @example
 * const keys = await createSoftwareKeys('PS256');
 * const ssa = await directory.issueSoftwareStatement({ software_id, software_redirect_uris, software_roles: ['AISP'], software_jwks: keys.jwks });
 */
export async function createSoftwareKeys(alg: SoftwareSigningAlgorithm): Promise<SoftwareKeys> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const publicJwk: SoftwarePublicJwk = { ...jwk, kty: jwk.kty as string, kid: await calculateJwkThumbprint(jwk), use: 'sig', alg };
  return { privateKey, publicJwk, jwks: { keys: [publicJwk] } };
}
