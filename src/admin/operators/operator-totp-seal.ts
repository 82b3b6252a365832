import { openPrivateJwk, sealPrivateJwk } from '../../auth/keys/key-encryption.ts';

/*
 * An operator's TOTP secret at rest: sealed (AES-256-GCM) under a key of its own derived from the
 * key-encryption key, and bound to the operator, so that a copied table yields no second factor
 * and a sealed secret moved onto another operator's row does not open.
 */

const boundTo = (operatorId: string) => `operator totp ${operatorId}`;

/** The purpose `deriveKey` derives the sealing key under. */
export const TOTP_SEAL_PURPOSE = 'portcullis operator totp';

export function sealTotpSecret(secretBase32: string, operatorId: string, sealKey: Buffer): string {
  return sealPrivateJwk({ secret: secretBase32 }, boundTo(operatorId), sealKey);
}

/** Opens what `sealTotpSecret` sealed; throws when the key or the operator is wrong. */
export function openTotpSecret(sealed: string, operatorId: string, sealKey: Buffer): string {
  const { secret } = openPrivateJwk(sealed, boundTo(operatorId), sealKey);
  if (typeof secret !== 'string') throw new Error(`operator ${operatorId}: a sealed TOTP secret of an unknown shape`);
  return secret;
}
