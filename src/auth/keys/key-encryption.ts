import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Seals a private JWK with AES-256-GCM. The key id is bound as additional data, so a ciphertext
 * moved onto another row fails to open.
 */
export function sealPrivateJwk(jwk: object, kid: string, keyEncryptionKey: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyEncryptionKey.subarray(0, 32), iv);
  cipher.setAAD(Buffer.from(kid));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(jwk)), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Opens what `sealPrivateJwk` sealed; throws when the key-encryption key or the kid is wrong. */
export function openPrivateJwk(sealed: string, kid: string, keyEncryptionKey: Buffer): Record<string, unknown> {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || !ciphertext) throw new Error(`signing key ${kid}: unknown sealing format`);
  const decipher = createDecipheriv('aes-256-gcm', keyEncryptionKey.subarray(0, 32), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString());
  } catch (cause) {
    throw new Error(`signing key ${kid} cannot be decrypted: is KEY_ENCRYPTION_KEY the one it was stored with?`, { cause });
  }
}
