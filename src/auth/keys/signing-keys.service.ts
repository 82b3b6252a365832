import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Knex } from 'knex';

import { openPrivateJwk, sealPrivateJwk } from './key-encryption.ts';
import { insertSigningKey, listActiveAlgorithms, listPublishedKeys, lockSigningKeys, retireSigningKeys } from './signing-key.store.ts';

/**
 * The algorithms the authorization server signs with (FAPI 2.0 §5.4.1: PS256, ES256, EdDSA). The
 * first is the default for clients that do not choose; UK Open Banking expects PS256.
 */
export const SIGNING_ALGORITHMS = ['PS256', 'ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

async function newSigningKey(alg: SigningAlgorithm): Promise<{ kid: string; publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}), ...(alg === 'PS256' ? { modulusLength: 2048 } : {}) });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const common = { kid, alg, use: 'sig' };
  return { kid, publicJwk: { ...publicJwk, ...common }, privateJwk: { ...(await exportJWK(privateKey)), ...common } };
}

async function addKey(db: Knex, alg: SigningAlgorithm, keyEncryptionKey: Buffer): Promise<string> {
  const key = await newSigningKey(alg);
  await insertSigningKey(db, { kid: key.kid, alg, public_jwk: key.publicJwk, private_jwk_encrypted: sealPrivateJwk(key.privateJwk, key.kid, keyEncryptionKey) });
  return key.kid;
}

/**
 * Makes sure every signing algorithm has an active key (generating the missing ones) and returns
 * the private JWKS the provider signs with: active keys first, so that oidc-provider picks them,
 * then retired keys still in their grace period, published for verification only.
 */
export async function loadSigningKeys(db: Knex, keyEncryptionKey: Buffer, graceSeconds: number): Promise<{ keys: JWK[] }> {
  await db.transaction(async (trx) => {
    await lockSigningKeys(trx);
    const active = new Set(await listActiveAlgorithms(trx));
    for (const alg of SIGNING_ALGORITHMS) {
      if (!active.has(alg)) await addKey(trx, alg, keyEncryptionKey);
    }
  });
  const rows = await listPublishedKeys(db, graceSeconds);
  return {
    keys: rows.map((row) => {
      const jwk = openPrivateJwk(row.private_jwk_encrypted, row.kid, keyEncryptionKey) as JWK;
      // oidc-provider never signs with a key whose key_ops exclude 'sign'.
      return row.retired_at ? { ...jwk, key_ops: ['verify'] } : jwk;
    }),
  };
}

/**
 * Adds a fresh key for every algorithm and retires the previous ones. Retired keys stay in the
 * JWKS for the grace period, so tokens they signed keep verifying until they expire.
 */
export async function rotateSigningKeys(db: Knex, keyEncryptionKey: Buffer): Promise<string[]> {
  return db.transaction(async (trx) => {
    await lockSigningKeys(trx);
    const kids: string[] = [];
    for (const alg of SIGNING_ALGORITHMS) {
      const kid = await addKey(trx, alg, keyEncryptionKey);
      await retireSigningKeys(trx, alg, kid);
      kids.push(kid);
    }
    return kids;
  });
}
