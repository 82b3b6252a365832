import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oc from 'openid-client';

import { rotateSigningKeys } from '../../../src/auth/keys/signing-keys.service.ts';
import { SIGNING_KEY_POLL_SECONDS } from '../../../src/auth/keys/watch-signing-keys.ts';
import { defaults } from '../../../src/config/defaults.ts';
import { discover, registerKeyClient } from '../../helpers/partner-client.ts';
import { startTestPortcullis } from '../../helpers/portcullis.ts';
import { storeKind } from '../../helpers/store.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';
import { openIsolatedStore } from '../../helpers/isolated-store.ts';
import { passTime } from './key-timeline.ts';

/*
 * A running server picks up a rotation made behind its back (by `keys rotate`, or another
 * instance) within one poll interval, without a restart: first the new keys, published for
 * verification only while the old ones sign on, then, once they activate, signing with them. The
 * interval's timer runs on a mocked clock, so the test advances it by exactly one interval instead
 * of waiting 30 s; the activation delay and the grace period pass by moving the keys' instants
 * into the past.
 */

test(`a running instance publishes rotated keys within one poll interval, signs with them once they activate, and still verifies the old ones (${storeKind})`, async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  // Keys are the whole server's: rotate them in a store no other test file's server uses.
  const store = await openIsolatedStore();
  t.after(() => store.close());
  if (store.databaseUrl) process.env.DATABASE_URL = store.databaseUrl;
  // Signed introspection responses show which key signs; only opaque access tokens are introspected.
  const portcullis = await startTestPortcullis({ ACCESS_TOKEN_FORMAT: 'opaque' });
  t.after(() => portcullis.close());

  const fetchTls = tlsFetch(portcullis.caPem);
  const readJwks = async (): Promise<JSONWebKeySet> => (await (await fetchTls(new URL('/jwks', portcullis.config.issuer))).json()) as JSONWebKeySet;
  const published = (jwks: JSONWebKeySet) => jwks.keys.map((key) => `${key.kid}:${key.key_ops?.join() ?? 'sign'}`).sort();

  // A partner with a token and a signed introspection response from before the rotation.
  const { clientId, keys } = await registerKeyClient(portcullis, { introspection_signed_response_alg: 'PS256' });
  const introspectionJwts: string[] = [];
  // openid-client verifies signed responses against the JWKS (non-repudiation checks) and caches
  // that JWKS for a minute; a configuration made after the swap stands for a partner who fetches it then.
  const partner = async () => {
    const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }), { introspection_signed_response_alg: 'PS256' });
    oc.enableNonRepudiationChecks(config);
    const baseFetch = config[oc.customFetch]!;
    config[oc.customFetch] = async (url, options) => {
      const response = await baseFetch(url, options);
      if (response.headers.get('content-type')?.startsWith('application/token-introspection+jwt')) introspectionJwts.push(await response.clone().text());
      return response;
    };
    return config;
  };
  let config = await partner();
  const DPoP = oc.getDPoPHandle(config, await oc.randomDPoPKeyPair('ES256'));
  const oldToken = await oc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP });
  assert.equal((await oc.tokenIntrospection(config, oldToken.access_token)).active, true);

  const before = await readJwks();
  assert.equal(before.keys.length, 3);
  const oldPs256 = before.keys.find((key) => key.alg === 'PS256')!.kid;
  assert.equal(decodeProtectedHeader(introspectionJwts[0]!).kid, oldPs256);

  /** Fires the watcher's timer once and reads the JWKS until it shows `expected` (or gives up). */
  const nextLook = async (expected: string[]): Promise<JSONWebKeySet> => {
    t.mock.timers.tick(SIGNING_KEY_POLL_SECONDS * 1000);
    let jwks = await readJwks();
    for (let attempt = 0; attempt < 100 && published(jwks).join() !== expected.join(); attempt++) {
      await sleep(50);
      jwks = await readJwks();
    }
    return jwks;
  };

  const rotated = await rotateSigningKeys(portcullis.db, portcullis.secrets.keyEncryptionKey, { activationDelaySeconds: defaults.keyActivationDelay, events: portcullis.events });
  const newPs256 = rotated.find((key) => key.alg === 'PS256')!.kid;
  assert.deepEqual(published(await readJwks()), published(before), 'nothing changes before the interval has passed');

  const announced = [...before.keys.map((key) => `${key.kid}:sign`), ...rotated.map((key) => `${key.kid}:verify`)].sort();
  const announcedJwks = await nextLook(announced);
  assert.deepEqual(published(announcedJwks), announced, 'the new keys are published, verify-only; the old ones sign on');
  config = await partner();
  assert.equal((await oc.tokenIntrospection(config, oldToken.access_token)).active, true);
  assert.equal(decodeProtectedHeader(introspectionJwts.at(-1)!).kid, oldPs256, 'still signed with the old key');

  await passTime(portcullis.db, defaults.keyActivationDelay);
  const expected = [...rotated.map((key) => `${key.kid}:sign`), ...before.keys.map((key) => `${key.kid}:verify`)].sort();
  const after = await nextLook(expected);
  assert.deepEqual(published(after), expected, 'once activated, the new keys sign, the old ones stay published for verification');

  // The token issued before the swap is still good, and the answer is signed with the new key.
  config = await partner();
  assert.equal((await oc.tokenIntrospection(config, oldToken.access_token)).active, true);
  assert.equal(decodeProtectedHeader(introspectionJwts.at(-1)!).kid, newPs256);
  // A partner still holding the JWKS it cached before the activation verifies it: the point of the delay.
  await jwtVerify(introspectionJwts.at(-1)!, createLocalJWKSet(announcedJwks), { issuer: portcullis.config.issuer });
  // The new provider serves the token endpoint too: client assertion, DPoP nonce and all.
  const newToken = await oc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP });
  assert.equal((await oc.tokenIntrospection(config, newToken.access_token)).active, true);
  assert.equal(decodeProtectedHeader(introspectionJwts.at(-1)!).kid, newPs256);
  // What the retired key signed still verifies against the published JWKS.
  await jwtVerify(introspectionJwts[0]!, createLocalJWKSet(after), { issuer: portcullis.config.issuer });

  // Once the grace period is over, the next look drops the retired keys.
  await passTime(portcullis.db, portcullis.config.retiredKeyGrace + 1);
  const remaining = rotated.map((key) => `${key.kid}:sign`).sort();
  const expired = await nextLook(remaining);
  assert.deepEqual(published(expired), remaining);
  await assert.rejects(jwtVerify(introspectionJwts[0]!, createLocalJWKSet(expired)), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
});
