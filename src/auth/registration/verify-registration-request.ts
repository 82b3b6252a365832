import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type FetchImplementation,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { errors } from 'oidc-provider';

import { clockToleranceSeconds, isIssuedInFuture, registrationSigningAlgorithms } from './registration-jwt-policy.ts';
import type { SoftwareStatement } from './software-statement.schema.ts';

/**
 * Verifies a UK Open Banking DCR v3.2 registration request: a JWT that the software signs with
 * its own key, proving that whoever presents the software statement holds that software's keys.
 * The SSA must already be verified, because it says which keys those are.
 */

export interface VerifyRegistrationRequestOptions {
  /** Our issuer identifier, the only `aud` accepted, so a request made for another bank fails. */
  audience: string;
  /** The time to check `iat` and `exp` against. Default: now. Tests freeze it. */
  now?: Date;
  /** Fetches `software_jwks_endpoint`. Default: the global `fetch`; tests pass their own. */
  fetch?: FetchImplementation;
  /**
   * Records the request's `jti` for its issuer until `expiresAt` (epoch seconds) and resolves
   * false when it was seen before: a captured registration request must not register twice.
   */
  isFirstUse?: (issuer: string, jti: string, expiresAt: number) => Promise<boolean>;
}

/**
 * Verifies the request's signature with the software's keys from the SSA (inline
 * `software_jwks`, or fetched from `software_jwks_endpoint`), that `iss` is the SSA's
 * `software_id`, that `aud` is our issuer, that `iat` and `exp` are present and current, and that
 * its `jti` (required by UK DCR v3.2) has not been used before.
 * Returns every claim of the request, JWT claims included; `bindSoftwareStatement` drops those.
 *
 * @throws `errors.InvalidClientMetadata` when the request is malformed, uses an algorithm other
 *   than PS256 or ES256, is signed by another key, has a bad signature, or fails a claim check.
 * @throws `errors.InvalidSoftwareStatement` when `software_jwks_endpoint` cannot be fetched.
 *
 * @example
 * const requested = await verifyRegistrationRequest(body, ssa, { audience: config.issuer });
 */
export async function verifyRegistrationRequest(
  jwt: string,
  ssa: SoftwareStatement,
  options: VerifyRegistrationRequestOptions,
): Promise<Record<string, unknown>> {
  const now = options.now ?? new Date();
  const alg = readSigningAlgorithm(jwt);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, resolveSoftwareKey(ssa, options.fetch), {
      algorithms: registrationSigningAlgorithms,
      clockTolerance: clockToleranceSeconds,
      currentDate: now,
      issuer: ssa.software_id,
      audience: options.audience,
      requiredClaims: ['exp', 'iat', 'jti'],
    }));
  } catch (err) {
    throw describeVerificationFailure(err, alg, options.audience);
  }
  // jose has checked that iat is present and a number.
  if (isIssuedInFuture(payload.iat as number, now)) {
    throw new errors.InvalidClientMetadata('registration request iat is in the future');
  }
  if (typeof payload.jti !== 'string' || payload.jti === '') throw new errors.InvalidClientMetadata('registration request jti must be a non-empty string');
  if (options.isFirstUse && !(await options.isFirstUse(ssa.software_id, payload.jti, payload.exp as number))) {
    throw new errors.InvalidClientMetadata('registration request jti has been used before');
  }
  return payload;
}

function resolveSoftwareKey(ssa: SoftwareStatement, fetch: FetchImplementation | undefined): JWTVerifyGetKey {
  const { software_jwks: jwks, software_jwks_endpoint: endpoint } = ssa;
  if (jwks !== undefined) return createLocalJWKSet(jwks);
  // The schema guarantees that one of software_jwks and software_jwks_endpoint is set. A fresh set
  // per request: registrations are rare, and a cache keyed by partner-supplied URLs would only grow.
  const remote = createRemoteJWKSet(new URL(endpoint as string), fetch ? { [customFetch]: fetch } : undefined);
  return async function fetchSoftwareKey(protectedHeader, token) {
    try {
      return await remote(protectedHeader, token);
    } catch (err) {
      if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWKSMultipleMatchingKeys) throw err;
      throw new errors.InvalidSoftwareStatement('software_jwks_endpoint could not be fetched', { cause: err });
    }
  };
}

/** Reads the header first so that errors can name the algorithm, and insists on `kid`. */
function readSigningAlgorithm(jwt: string): unknown {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch (err) {
    throw new errors.InvalidClientMetadata('registration request is not a valid JWT', { cause: err });
  }
  // A software JWKS holds keys for signing, encryption and rotation; `kid` says which one signed.
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw new errors.InvalidClientMetadata('registration request header must carry a kid');
  }
  return header.alg;
}

function describeVerificationFailure(err: unknown, alg: unknown, audience: string): unknown {
  if (err instanceof joseErrors.JOSEAlgNotAllowed) {
    return new errors.InvalidClientMetadata(`registration request alg ${JSON.stringify(alg)} is not allowed; use ${registrationSigningAlgorithms.join(' or ')}`, { cause: err });
  }
  if (err instanceof joseErrors.JWKSNoMatchingKey) {
    return new errors.InvalidClientMetadata('registration request is not signed by a key of the software statement', { cause: err });
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new errors.InvalidClientMetadata('registration request signature invalid', { cause: err });
  }
  if (err instanceof joseErrors.JWTExpired) {
    return new errors.InvalidClientMetadata('registration request has expired', { cause: err });
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    return new errors.InvalidClientMetadata(describeClaimFailure(err, audience), { cause: err });
  }
  if (err instanceof joseErrors.JOSEError) {
    return new errors.InvalidClientMetadata(`registration request is malformed: ${err.message}`, { cause: err });
  }
  return err;
}

function describeClaimFailure(err: InstanceType<typeof joseErrors.JWTClaimValidationFailed>, audience: string): string {
  if (err.reason === 'missing') return `registration request ${err.claim} claim is required`;
  // UK OB DCR v3.2: the request's iss is the software_id of the software statement.
  if (err.claim === 'iss') return 'registration request iss must be the software_id of the software statement';
  if (err.claim === 'aud') return `registration request aud must be ${audience}`;
  return `registration request ${err.claim} claim check failed`;
}
