import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Knex } from 'knex';

import type { EventBus } from '../../events/event-bus.ts';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../openbanking/fapi-algorithms.ts';
import { openPrivateJwk, sealPrivateJwk } from './key-encryption.ts';
import {
  insertSigningKey,
  listAlgorithmsSigningNowOrLater,
  listKeySummaries,
  listPublishedKeys,
  listSigningAlgorithms,
  listUnretiredKeys,
  lockSigningKeys,
  retireSigningKeysAt,
  type SigningKeyState,
} from './signing-key.store.ts';

/*
 * A key signs from `activates_at` until `retired_at`, and is published from the moment it is
 * stored until `retired_at` plus the grace period. The two overlap on purpose at both ends:
 * partners cache our JWKS (openid-client re-fetches it for an unknown kid only when its copy is
 * over a minute old; other libraries keep it for minutes), so a rotation publishes the next key
 * `keyActivationDelay` before it signs, and a retired key stays published while what it signed is
 * still in use. Every instant is the database's, so every instance agrees on which key signs.
 */


/**
 * The private JWKS the provider is built with: the keys that sign now first, then every other
 * published key (pending or retired) with `key_ops: ['verify']`, which oidc-provider never signs with.
 */
export interface SigningJwks {
  keys: JWK[];
}

export interface RotationOptions {
  /**
   * Seconds from the rotation until the new keys sign (`keyActivationDelay`); until then they are
   * published for verification only and the current keys keep signing. 0 signs with them at once
   * (`keys rotate --now`, for a compromised key).
   */
  activationDelaySeconds: number;
  /** Where the rotation is announced (`signing_key.rotated`) once committed. */
  events: EventBus;
}

/** What a rotation did for one algorithm. */
export interface RotatedKey {
  alg: SigningAlgorithm;
  kid: string;
  /** When it starts signing (database clock); every key in `retiredKids` stops at that instant. */
  activatesAt: Date;
  /** Whether it waits `activationDelaySeconds` before signing; false when it signs at once (no delay, or nothing of `alg` was signing). */
  pending: boolean;
  /** Keys of `alg` that would have signed past `activatesAt` (the current one, and any still pending); they retire then. */
  retiredKids: string[];
}

/** A key as an operator sees it (`keys list`), at the database's clock. */
export interface SigningKeyStatus {
  kid: string;
  alg: string;
  createdAt: Date;
  state: SigningKeyState;
  /** When it starts (or started) signing. */
  activatesAt: Date;
  /** When it stops (or stopped) signing; absent until a rotation names its successor. */
  retiredAt: Date | undefined;
  /** When it leaves (or left) the JWKS: `retiredAt` plus the grace period; absent with `retiredAt`. */
  publishedUntil: Date | undefined;
  /** Whether it is in the JWKS now. */
  published: boolean;
}

async function newSigningKey(alg: SigningAlgorithm): Promise<{ kid: string; publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}), ...(alg === 'PS256' ? { modulusLength: 2048 } : {}) });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const common = { kid, alg, use: 'sig' };
  return { kid, publicJwk: { ...publicJwk, ...common }, privateJwk: { ...(await exportJWK(privateKey)), ...common } };
}

async function addKey(db: Knex, alg: SigningAlgorithm, keyEncryptionKey: Buffer, activationDelaySeconds: number): Promise<{ kid: string; activatesAt: Date }> {
  const key = await newSigningKey(alg);
  const sealed = sealPrivateJwk(key.privateJwk, key.kid, keyEncryptionKey);
  const activatesAt = await insertSigningKey(db, { kid: key.kid, alg, public_jwk: key.publicJwk, private_jwk_encrypted: sealed }, activationDelaySeconds);
  return { kid: key.kid, activatesAt };
}

/**
 * Throws unless `keyEncryptionKey` opens every key that signs now or will, so that no key is ever
 * sealed under a key-encryption key other than the one its siblings use.
 */
async function checkKeyEncryptionKey(trx: Knex.Transaction, keyEncryptionKey: Buffer): Promise<void> {
  for (const row of await listUnretiredKeys(trx)) openPrivateJwk(row.private_jwk_encrypted, row.kid, keyEncryptionKey);
}

/**
 * Makes sure every signing algorithm has a key that signs now or is pending (generating one that
 * signs at once where neither exists, as on first start) and returns the private JWKS the
 * provider is built with (see `SigningJwks`). What signs is decided by the database clock at the
 * time of the call; `watchSigningKeys` reloads when that changes.
 */
export async function loadSigningKeys(db: Knex, keyEncryptionKey: Buffer, graceSeconds: number): Promise<SigningJwks> {
  await db.transaction(async (trx) => {
    await lockSigningKeys(trx);
    await checkKeyEncryptionKey(trx, keyEncryptionKey);
    const covered = new Set(await listAlgorithmsSigningNowOrLater(trx));
    for (const alg of SIGNING_ALGORITHMS) {
      if (!covered.has(alg)) await addKey(trx, alg, keyEncryptionKey, 0);
    }
  });
  const rows = await listPublishedKeys(db, graceSeconds);
  return {
    keys: rows.map((row) => {
      const jwk = openPrivateJwk(row.private_jwk_encrypted, row.kid, keyEncryptionKey) as JWK;
      // oidc-provider never signs with a key whose key_ops exclude 'sign'.
      return row.signs ? jwk : { ...jwk, key_ops: ['verify'] };
    }),
  };
}

/**
 * Adds a fresh key for every algorithm, published at once and signing `activationDelaySeconds`
 * later, so that partners' cached JWKS hold the new kid before anything signed with it reaches
 * them. Every other key of the algorithm stops signing no later than the new one starts, so one
 * key signs per algorithm at any instant, however rotations overlap: a rotation during a pending
 * one supersedes the pending key too. An algorithm with no key signing now gets one that signs at
 * once (there is no signer to hand over from). Retired keys stay published for the grace period,
 * so what they signed keeps verifying. Running instances follow through `watchSigningKeys`.
 *
 * Fails, adding nothing, when `keyEncryptionKey` cannot open the keys that sign now or will: keys
 * sealed under another key could never be opened by the instances that serve them.
 *
 * @example
 * const rotated = await rotateSigningKeys(db, secrets.keyEncryptionKey, { activationDelaySeconds: defaults.keyActivationDelay, events });
 * // [{ alg: 'PS256', kid: '…', activatesAt: <now + 10 min>, pending: true, retiredKids: ['…'] }, { alg: 'ES256', … }, { alg: 'EdDSA', … }]
 */
export async function rotateSigningKeys(db: Knex, keyEncryptionKey: Buffer, options: RotationOptions): Promise<RotatedKey[]> {
  const delay = options.activationDelaySeconds;
  if (!(Number.isFinite(delay) && delay >= 0)) throw new RangeError('activationDelaySeconds must be a number of seconds, 0 or more');
  const rotated = await db.transaction(async (trx) => {
    await lockSigningKeys(trx);
    await checkKeyEncryptionKey(trx, keyEncryptionKey);
    const signing = new Set(await listSigningAlgorithms(trx));
    const keys: RotatedKey[] = [];
    for (const alg of SIGNING_ALGORITHMS) {
      const waits = signing.has(alg) && delay > 0;
      const { kid, activatesAt } = await addKey(trx, alg, keyEncryptionKey, waits ? delay : 0);
      keys.push({ alg, kid, activatesAt, pending: waits, retiredKids: await retireSigningKeysAt(trx, alg, kid) });
    }
    return keys;
  });
  options.events.emit('signing_key.rotated', { keys: rotated.map(({ alg, kid, activatesAt }) => ({ alg, kid, activatesAt })), retiredKids: rotated.flatMap((key) => key.retiredKids) });
  return rotated;
}

/** Every stored key, newest first, with its state and when it signs and is published. */
export async function describeSigningKeys(db: Knex, graceSeconds: number): Promise<SigningKeyStatus[]> {
  const rows = await listKeySummaries(db, graceSeconds);
  return rows.map((row) => ({
    kid: row.kid,
    alg: row.alg,
    createdAt: row.created_at,
    state: row.state,
    activatesAt: row.activates_at,
    retiredAt: row.retired_at ?? undefined,
    publishedUntil: row.retired_at ? new Date(row.retired_at.getTime() + graceSeconds * 1000) : undefined,
    published: row.published,
  }));
}
