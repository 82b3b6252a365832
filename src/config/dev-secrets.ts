import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Config, Secrets } from './config.ts';

interface StoredSecrets {
  keyEncryptionKey: string;
  cookieKeys: string[];
  dpopNonceSecret: string;
  adminToken?: string;
  /** The development console admin's password (`ops@portcullis.test`). */
  consolePassword?: string;
}

/**
 * The secrets to run with: those the environment gave, completed outside production by ones
 * generated once and kept in `<dataDir>/dev-secrets.json` (mode 0600), so that a development
 * restart keeps its sessions and can still open its signing keys. `warn` is told which were filled.
 */
export function resolveSecrets(config: Config, warn: (message: string) => void): Secrets {
  const given = config.secrets;
  if (given.keyEncryptionKey && given.cookieKeys && given.dpopNonceSecret && given.adminToken) {
    return { keyEncryptionKey: given.keyEncryptionKey, cookieKeys: given.cookieKeys, dpopNonceSecret: given.dpopNonceSecret, adminToken: given.adminToken };
  }
  const file = join(config.dataDir, 'dev-secrets.json');
  let stored: StoredSecrets;
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  } else {
    stored = {
      keyEncryptionKey: randomBytes(32).toString('base64url'),
      cookieKeys: [randomBytes(32).toString('base64url')],
      dpopNonceSecret: randomBytes(32).toString('base64url'),
    };
  }
  // Files written before the admin API existed lack its token.
  if (!existsSync(file) || !stored.adminToken) {
    stored.adminToken ??= randomBytes(32).toString('base64url');
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  const filled = [!given.keyEncryptionKey && 'KEY_ENCRYPTION_KEY', !given.cookieKeys && 'COOKIE_KEYS', !given.dpopNonceSecret && 'DPOP_NONCE_SECRET', !given.adminToken && 'ADMIN_TOKEN'].filter(Boolean);
  warn(`DEVELOPMENT SECRETS IN USE for ${filled.join(', ')} (from ${file}). Set them in the environment for any real deployment.`);
  return {
    keyEncryptionKey: given.keyEncryptionKey ?? Buffer.from(stored.keyEncryptionKey, 'base64url'),
    cookieKeys: given.cookieKeys ?? stored.cookieKeys,
    dpopNonceSecret: given.dpopNonceSecret ?? Buffer.from(stored.dpopNonceSecret, 'base64url'),
    adminToken: given.adminToken ?? stored.adminToken,
  };
}

/**
 * The development console admin's password, generated once into `<dataDir>/dev-secrets.json`
 * beside the other development secrets (and kept there, so a restart signs in with the same one).
 * Development only: production operators are added with `npm run cli -- operators add`.
 */
export function devConsolePassword(config: Pick<Config, 'dataDir'>): string {
  const file = join(config.dataDir, 'dev-secrets.json');
  const stored: Partial<StoredSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets : {};
  if (!stored.consolePassword) {
    stored.consolePassword = randomBytes(15).toString('base64url');
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return stored.consolePassword;
}
