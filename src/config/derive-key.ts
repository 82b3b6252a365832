import { hkdfSync } from 'node:crypto';

import type { Secrets } from './config.ts';

/**
 * A 32-byte key of its own for one purpose (CSRF tokens, dashboard sessions, one-time codes),
 * derived from the key-encryption key with HKDF-SHA256 under the purpose's name, so that no two
 * uses ever share a key and none equals the key-encryption key itself.
 */
export function deriveKey(secrets: Pick<Secrets, 'keyEncryptionKey'>, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secrets.keyEncryptionKey, '', purpose, 32));
}
