import type { JWK } from 'jose';
import type { Knex } from 'knex';

import { listPublishedKeySummaries } from './signing-key.store.ts';
import { loadSigningKeys, type SigningJwks } from './signing-keys.service.ts';

/**
 * How often a running instance looks for a rotation, seconds. Default 30: a rotation (`keys
 * rotate`, on any instance) reaches every instance within 30 s, and so does a pending key's
 * activation, for one query of a few rows per instance each time. Keep it well below
 * `keyActivationDelay` (every instance publishes the new key before any signs with it) and
 * `retiredKeyGrace`.
 */
export const SIGNING_KEY_POLL_SECONDS = 30;

export interface SigningKeyWatchOptions {
  /** Seconds between two looks at the store. */
  intervalSeconds: number;
  /** `retiredKeyGrace`: how long a retired key stays published, seconds. */
  graceSeconds: number;
  keyEncryptionKey: Buffer;
  /** Puts the new key set to use. Called only once it has been loaded and decrypted. */
  onChange: (jwks: SigningJwks) => void | Promise<void>;
  /** Told about a failed look or reload; the keys in use stay, and the next look tries again. Must not throw. */
  onError: (error: unknown) => void;
}

/** Which keys are published and which of them sign; equal sets give equal strings. */
function fingerprint(keys: Array<{ kid: string; signs: boolean }>): string {
  return keys.map((key) => `${key.kid}:${key.signs ? 'sign' : 'verify'}`).sort().join(',');
}

function fingerprintInUse(jwks: SigningJwks): string {
  return fingerprint(jwks.keys.map((jwk: JWK) => ({ kid: jwk.kid!, signs: jwk.key_ops === undefined || jwk.key_ops.includes('sign') })));
}

/**
 * Keeps a running instance's signing keys in step with the store. oidc-provider fixes its keystore
 * when it is built, so the store is polled (the published kids and whether each signs, as the
 * database clock has it at that look; no key material) and, when that differs from the set in
 * use, the keys are loaded again and handed to `onChange`, which rebuilds the provider. A rotation
 * (its new keys published, verify-only), a pending key reaching its activation (it signs, its
 * predecessor verifies only), and a retired key reaching the end of its grace period all show up
 * this way, within one interval. Tokens need nothing: they live in the store.
 *
 * Looks never overlap: one still running when the timer fires is not doubled. The timer is
 * unref'd. Returns a function that stops watching and resolves once a look in progress is done.
 *
 * @example
 * ```ts
 * const stopWatching = watchSigningKeys(db, jwks, {
 *   intervalSeconds: SIGNING_KEY_POLL_SECONDS, graceSeconds: config.retiredKeyGrace, keyEncryptionKey,
 *   onChange: (next) => { handlers = buildHandlers(next); },
 *   onError: (error) => logger.error({ err: error }, 'signing_keys.reload_error'),
 * });
 * // on shutdown, before closing db
 * await stopWatching();
 * ```
 */
export function watchSigningKeys(db: Knex, inUse: SigningJwks, options: SigningKeyWatchOptions): () => Promise<void> {
  if (!(options.intervalSeconds > 0)) throw new RangeError('intervalSeconds must be a positive number');
  let current = fingerprintInUse(inUse);
  let looking: Promise<void> | undefined;

  async function lookForChange(): Promise<void> {
    if (fingerprint(await listPublishedKeySummaries(db, options.graceSeconds)) === current) return;
    const next = await loadSigningKeys(db, options.keyEncryptionKey, options.graceSeconds);
    await options.onChange(next);
    current = fingerprintInUse(next);
  }

  const timer = setInterval(() => {
    looking ??= lookForChange().catch(options.onError).finally(() => { looking = undefined; });
  }, options.intervalSeconds * 1000);
  timer.unref();

  return async function stopWatchingSigningKeys(): Promise<void> {
    clearInterval(timer);
    await looking;
  };
}
