import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type AdapterFactory } from 'oidc-provider';

/** A bare provider over `adapter`, for the tests that drive its `ReplayDetection` model. */
export async function replayProvider(adapter: AdapterFactory, alg: 'ES256' | 'PS256' = 'ES256'): Promise<Provider> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return new Provider('https://op.example', {
    adapter,
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg, use: 'sig' }] },
    features: { devInteractions: { enabled: false } },
  });
}

/** `unique()` accepts a fresh jti once among four concurrent calls, never again for that client, and for another client anew; returns the jti. */
export async function assertUniqueOnce(provider: Provider): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + 60;
  const jti = randomUUID();
  const results = await Promise.all(Array.from({ length: 4 }, () => provider.ReplayDetection.unique('tpp-1', jti, exp)));
  assert.deepEqual(results.filter(Boolean), [true]);
  assert.equal(await provider.ReplayDetection.unique('tpp-1', jti, exp), false);
  assert.equal(await provider.ReplayDetection.unique('tpp-2', jti, exp), true);
  return jti;
}
