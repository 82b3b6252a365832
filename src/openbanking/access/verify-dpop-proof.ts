import { hash } from 'node:crypto';

import { calculateJwkThumbprint, EmbeddedJWK, errors as joseErrors, jwtVerify } from 'jose';

import { SIGNING_ALGORITHMS } from '../fapi-algorithms.ts';

// RFC 9449 §11.1: how long a proof is accepted after its iat; the authorization server uses the same window.
const PROOF_MAX_AGE_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 5;

export interface DpopProofCheck {
  proof: string;
  /** HTTP method and URL (no query or fragment) of this request, as the partner addressed it. */
  method: string;
  url: string;
  accessToken: string;
  /** The `jkt` the token is bound to. */
  jkt: string;
}

/** A verified proof's replay key and how long it stays replayable, epoch seconds. */
export interface VerifiedDpopProof {
  jti: string;
  replayableUntil: number;
}

/**
 * A sound proof signed by another key than the token is bound to: RFC 9449 §7.1 answers it as an
 * invalid token (its binding fails, "Invalid DPoP key binding"), where any other fault of the proof
 * is `invalid_dpop_proof`.
 */
export class DpopKeyMismatch extends Error {
  override name = 'DpopKeyMismatch';
}

/**
 * Verifies a DPoP proof presented with a DPoP-bound access token at a resource server
 * (RFC 9449 §4.3, §7.1): signed by the key the token is bound to, for this method and URL, for this
 * token (`ath`), fresh. Resolves the `jti` for the caller's replay check; throws a message fit for
 * `error_description` when anything is off (a `DpopKeyMismatch` when only the key is).
 */
export async function verifyDpopProof(check: DpopProofCheck): Promise<VerifiedDpopProof> {
  let verified;
  try {
    verified = await jwtVerify(check.proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: [...SIGNING_ALGORITHMS],
      maxTokenAge: PROOF_MAX_AGE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw new Error(`invalid DPoP proof (${error.code})`, { cause: error });
    throw error;
  }
  const { payload, protectedHeader } = verified;
  if (payload.htm !== check.method) throw new Error('DPoP proof htm mismatch');
  if (typeof payload.htu !== 'string' || stripQuery(payload.htu) !== check.url) throw new Error('DPoP proof htu mismatch');
  if (payload.ath !== hash('sha256', check.accessToken, 'base64url')) throw new Error('DPoP proof ath mismatch');
  if (typeof payload.jti !== 'string' || payload.jti.length === 0) throw new Error('DPoP proof has no jti');
  if ((await calculateJwkThumbprint(protectedHeader.jwk!)) !== check.jkt) throw new DpopKeyMismatch('DPoP proof key does not match the token binding');
  return { jti: payload.jti, replayableUntil: payload.iat! + PROOF_MAX_AGE_SECONDS + CLOCK_TOLERANCE_SECONDS };
}

// RFC 9449 §4.3 item 9: htu is compared without query and fragment.
function stripQuery(url: string): string {
  const parsed = URL.parse(url);
  return parsed ? `${parsed.origin}${parsed.pathname}` : url;
}
