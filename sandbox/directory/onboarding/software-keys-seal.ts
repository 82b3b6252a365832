import type { JWK } from 'jose';

import { openPrivateJwk, sealPrivateJwk } from '../../../src/auth/keys/key-encryption.ts';

/**
 * The private keys the directory generated for a partner's software: kept, sealed (AES-256-GCM
 * under a key derived from the server's key-encryption key, bound to the software id), so that
 * the partner can download its bundle again after losing it, as a partner can download its
 * certificates again from the Open Banking Directory. A sandbox trade: a real directory never
 * holds a partner's private keys; these only ever open sandbox clients, and nobody without
 * KEY_ENCRYPTION_KEY can read them from the store.
 */
export interface SoftwarePrivateKeys {
  /** The transport certificate's key, PKCS #8 PEM. */
  transportKeyPem: string;
  /** The software's signing key, a private JWK with its `kid` and `alg`. */
  signingJwk: JWK;
}

export function sealSoftwareKeys(keys: SoftwarePrivateKeys, softwareId: string, sealKey: Buffer): string {
  return sealPrivateJwk(keys, softwareId, sealKey);
}

/** Opens what `sealSoftwareKeys` sealed for this software; throws when the key or the id is wrong. */
export function openSoftwareKeys(sealed: string, softwareId: string, sealKey: Buffer): SoftwarePrivateKeys {
  const opened = openPrivateJwk(sealed, softwareId, sealKey);
  if (typeof opened['transportKeyPem'] !== 'string' || typeof opened['signingJwk'] !== 'object') throw new Error(`software ${softwareId}: sealed keys of an unknown shape`);
  return opened as unknown as SoftwarePrivateKeys;
}
