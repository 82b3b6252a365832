import { decodeJwt } from 'jose';
import { errors } from 'oidc-provider';

/**
 * Takes the `software_statement` out of a UK DCR registration request JWT without verifying the
 * request. The order is forced by the protocol: the key that signed the request is only known
 * from the software statement's `software_jwks` or `software_jwks_endpoint`, so the caller
 * verifies the software statement first, then the request with `verifyRegistrationRequest`.
 * Nothing else in the unverified request may be used.
 *
 * @throws `errors.InvalidClientMetadata` when the request is not a JWT.
 * @throws `errors.InvalidSoftwareStatement` when it carries no `software_statement` string.
 *
 * @example
 * const ssa = await verifySoftwareStatement(readSoftwareStatementClaim(body), directories);
 * const requested = await verifyRegistrationRequest(body, ssa, { audience: issuer });
 */
export function readSoftwareStatementClaim(requestJwt: string): string {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(requestJwt);
  } catch (err) {
    throw new errors.InvalidClientMetadata('registration request is not a valid JWT', { cause: err });
  }
  const { software_statement: softwareStatement } = claims;
  if (typeof softwareStatement !== 'string' || softwareStatement === '') {
    throw new errors.InvalidSoftwareStatement('software_statement is required in the registration request');
  }
  return softwareStatement;
}
