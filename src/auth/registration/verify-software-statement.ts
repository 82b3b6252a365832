import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { errors } from 'oidc-provider';

import { clockToleranceSeconds, isIssuedInFuture, registrationSigningAlgorithms } from './registration-jwt-policy.ts';
import { softwareStatementSchema, type SoftwareStatement } from './software-statement.schema.ts';
import type { TrustedDirectoryKeys } from './trusted-directories.ts';

/**
 * Verifies a software statement assertion (SSA) before its claims are allowed to shape a client
 * (RFC 7591 §2.3, §3.1.1). The error codes follow RFC 7591 §3.2.2: a statement we cannot trust
 * because of its form, signature or dates is `invalid_software_statement`; a well-formed statement
 * from a signer or organisation we do not accept is `unapproved_software_statement`.
 */

export interface VerifySoftwareStatementOptions {
  /** The time to check `iat` and `exp` against. Default: now. Tests freeze it. */
  now?: Date;
  /**
   * Oldest accepted `iat`, seconds before `now`. Default: no limit. The UK Open Banking Directory
   * issues SSAs without `exp` that partners keep and present to every bank for months, so an age
   * limit would turn away genuine partners; and an SSA alone grants nothing, because the client it
   * registers can only authenticate with the software's own keys or certificate. Set it for a
   * directory that mints a fresh SSA per registration.
   */
  maxAgeSeconds?: number;
}

/**
 * Verifies the SSA's signature against the trusted directories, its dates and its claims, and
 * returns the claims under their directory names.
 *
 * @throws `errors.InvalidSoftwareStatement` when the SSA is malformed, uses an algorithm other than
 *   PS256 or ES256, fails its signature, is expired, too old or from the future, or lacks a
 *   required claim.
 * @throws `errors.UnapprovedSoftwareStatement` when no trusted directory holds the signing key, or
 *   the organisation is not `Active`.
 *
 * @example
 * const ssa = await verifySoftwareStatement(body.software_statement, directories);
 */
export async function verifySoftwareStatement(
  ssaJwt: string,
  directories: TrustedDirectoryKeys,
  options: VerifySoftwareStatementOptions = {},
): Promise<SoftwareStatement> {
  const now = options.now ?? new Date();
  const alg = readSigningAlgorithm(ssaJwt);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(ssaJwt, directories, {
      algorithms: registrationSigningAlgorithms,
      clockTolerance: clockToleranceSeconds,
      currentDate: now,
    }));
  } catch (err) {
    throw describeVerificationFailure(err, alg);
  }

  const parsed = softwareStatementSchema.safeParse(payload);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new errors.InvalidSoftwareStatement(`software_statement claims are invalid: ${problems.join('; ')}`);
  }
  const ssa = parsed.data;
  if (isIssuedInFuture(ssa.iat, now)) {
    throw new errors.InvalidSoftwareStatement('software_statement iat is in the future');
  }
  if (options.maxAgeSeconds !== undefined && now.getTime() / 1000 - ssa.iat > options.maxAgeSeconds + clockToleranceSeconds) {
    throw new errors.InvalidSoftwareStatement(`software_statement was issued more than ${options.maxAgeSeconds} seconds ago`);
  }
  if (ssa.org_status !== undefined && ssa.org_status !== 'Active') {
    throw new errors.UnapprovedSoftwareStatement(`software_statement org_status is ${ssa.org_status}; only Active organisations may register`);
  }
  return ssa;
}

/** Reads the header first so that errors can name the algorithm, and insists on `kid`. */
function readSigningAlgorithm(ssaJwt: string): unknown {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(ssaJwt);
  } catch (err) {
    throw new errors.InvalidSoftwareStatement('software_statement is not a compact JWS', { cause: err });
  }
  // The directory publishes several keys and rotates them; without `kid` there is no telling which
  // one signed, and the Open Banking Directory always sets it.
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw new errors.InvalidSoftwareStatement('software_statement header must carry a kid');
  }
  return header.alg;
}

function describeVerificationFailure(err: unknown, alg: unknown): unknown {
  if (err instanceof joseErrors.JOSEAlgNotAllowed) {
    return new errors.InvalidSoftwareStatement(`software_statement alg ${JSON.stringify(alg)} is not allowed; use ${registrationSigningAlgorithms.join(' or ')}`, { cause: err });
  }
  if (err instanceof joseErrors.JWKSNoMatchingKey) {
    return new errors.UnapprovedSoftwareStatement('software_statement is not signed by a trusted directory key', { cause: err });
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new errors.InvalidSoftwareStatement('software_statement signature is invalid', { cause: err });
  }
  if (err instanceof joseErrors.JWTExpired) {
    return new errors.InvalidSoftwareStatement('software_statement has expired', { cause: err });
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    return new errors.InvalidSoftwareStatement(`software_statement ${err.claim} claim check failed`, { cause: err });
  }
  if (err instanceof joseErrors.JOSEError) {
    return new errors.InvalidSoftwareStatement(`software_statement is malformed: ${err.message}`, { cause: err });
  }
  return err;
}
