import { openPrivateJwk, sealPrivateJwk } from '../../auth/keys/key-encryption.ts';

/*
 * The registration access token (RFC 7592) of a client the portal registered for an application:
 * the partner's, to read, update or delete its client, so the portal keeps it for the bundle's
 * demo registration, sealed (AES-256-GCM, bound to the application) under a key of its own derived
 * from the key-encryption key. The server rotates it at each use, so the kept one is the partner's
 * first: a partner who used it holds the current one.
 */

const boundTo = (applicationId: string) => `portal registration ${applicationId}`;

export function sealRegistrationToken(token: string, applicationId: string, sealKey: Buffer): string {
  return sealPrivateJwk({ token }, boundTo(applicationId), sealKey);
}

/** Opens what `sealRegistrationToken` sealed; throws when the key or the application is wrong. */
export function openRegistrationToken(sealed: string, applicationId: string, sealKey: Buffer): string {
  const { token } = openPrivateJwk(sealed, boundTo(applicationId), sealKey);
  if (typeof token !== 'string') throw new Error(`application ${applicationId}: a sealed registration token of an unknown shape`);
  return token;
}
