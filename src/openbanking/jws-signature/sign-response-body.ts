/*
 * Signs a response body for the `x-jws-signature` header, as the ASPSP must under OB Read/Write
 * Data API Profile v3.1.11, "Message Signing". The payload is detached: the header carries only
 * `protected..signature`, and the TPP checks it against the body bytes it receives. Since v3.1.4
 * `b64` is not used, so the signing input is the ordinary base64url of the body.
 */
import { CompactSign, type CryptoKey, type KeyObject } from 'jose';

import { OB_CRIT_OPTION, OB_CRITICAL_CLAIMS, OB_CTY, OB_IAT, OB_ISS, OB_SIGNING_ALG, OB_TAN, OB_TYP } from './ob-jose-header.ts';

/** The bank's signing identity. */
export interface ResponseSigner {
  /** An RSA private key of at least 2048 bits, usable for PS256. */
  key: CryptoKey | KeyObject;
  /** The key's id in the bank's published JWKS. */
  kid: string;
  /** The bank's organisation id, sent as `http://openbanking.org.uk/iss`. */
  issuer: string;
  /** The trust anchor's DNS name, sent as `http://openbanking.org.uk/tan`. */
  trustAnchor: string;
  /** The current time in milliseconds; `Date.now` unless a test freezes the clock. */
  now?: () => number;
}

/**
 * Returns the detached compact JWS of `body`, for the `x-jws-signature` response header. Sign the
 * exact string that goes on the wire: the signature covers those bytes, not the JSON they encode.
 *
 * @example
 * ```ts
 * const body = JSON.stringify(consentResponse);
 * ctx.set('x-jws-signature', await signResponseBody(body, signer));
 * ctx.body = body;
 * ```
 */
export async function signResponseBody(body: string, signer: ResponseSigner): Promise<string> {
  const now = signer.now ?? Date.now;
  const jws = await new CompactSign(new TextEncoder().encode(body))
    .setProtectedHeader({
      alg: OB_SIGNING_ALG,
      kid: signer.kid,
      typ: OB_TYP,
      cty: OB_CTY,
      crit: [...OB_CRITICAL_CLAIMS],
      [OB_IAT]: Math.floor(now() / 1000),
      [OB_ISS]: signer.issuer,
      [OB_TAN]: signer.trustAnchor,
    })
    .sign(signer.key, { crit: OB_CRIT_OPTION });
  const [protectedHeader, , signature] = jws.split('.');
  return `${protectedHeader}..${signature}`;
}
