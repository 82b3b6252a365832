import { importJWK, type CryptoKey, type JWK } from 'jose';

import type { ResponseSigner } from './sign-response-body.ts';

/**
 * The bank's signer for OB message signatures: the PS256 key that signs now among the provider's
 * signing keys (the one whose `kid` partners find in our JWKS), so that a rotation moves response
 * signatures to the new key when it moves tokens.
 */
export async function bankResponseSigner(keys: readonly JWK[], organisationId: string, trustAnchor: string): Promise<ResponseSigner> {
  const jwk = keys.find((key) => key.alg === 'PS256' && !key.key_ops?.includes('verify'));
  if (!jwk?.kid) throw new Error('no PS256 signing key is active; message signing needs one');
  return { key: await importJWK(jwk, 'PS256') as CryptoKey, kid: jwk.kid, issuer: organisationId, trustAnchor };
}
