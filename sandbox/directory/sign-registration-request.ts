import { randomUUID } from 'node:crypto';

import { SignJWT } from 'jose';

import type { SoftwareKeys } from './software-keys.ts';

export interface RegistrationRequestOptions {
  /** The authorization server's issuer identifier. */
  audience: string;
  /** The software statement's `software_id`, which UK OB DCR v3.2 puts in `iss`. */
  softwareId: string;
  /** Lifetime as a jose duration such as `'30s'` or `'5m'`. Default `'5m'`: it is sent at once. */
  expiresIn?: string;
}

/**
 * Builds the UK Open Banking DCR v3.2 registration request: the client metadata (which carries
 * `software_statement`) as the claims of a JWT signed with the software's key.
 *
 * @example
 * const body = await signRegistrationRequest(
 *   { software_statement: ssa, redirect_uris: ['https://tpp.example/cb'], token_endpoint_auth_method: 'private_key_jwt' },
 *   keys,
 *   { audience: 'https://localhost:8443', softwareId: 'sandbox-software' },
 * );
 * await fetch(`${issuer}/reg`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body });
 */
export async function signRegistrationRequest(
  metadata: Record<string, unknown>,
  softwareKeys: SoftwareKeys,
  options: RegistrationRequestOptions,
): Promise<string> {
  return new SignJWT(metadata)
    .setProtectedHeader({ alg: softwareKeys.publicJwk.alg, kid: softwareKeys.publicJwk.kid, typ: 'JWT' })
    .setIssuer(options.softwareId)
    .setAudience(options.audience)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(softwareKeys.privateKey);
}
