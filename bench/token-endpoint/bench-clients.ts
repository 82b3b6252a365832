import { randomBytes } from 'node:crypto';

import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import type { ClientMetadata } from 'oidc-provider';

import type { Algorithm } from './bench-options.ts';

/** Every client the benchmark registers has an id with this prefix, to tell them apart in logs. */
const CLIENT_ID_PREFIX = 'bench-token-endpoint-';

export interface BenchClient {
  clientId: string;
  alg: Algorithm;
  kid: string;
  privateKey: CryptoKey;
  metadata: ClientMetadata;
}

/**
 * A partner that only uses client credentials: `private_key_jwt` with its own signing key,
 * certificate-bound access tokens (RFC 8705 §3), the Open Banking `accounts` scope.
 */
async function makeBenchClient(alg: Algorithm, index: number, run: string): Promise<BenchClient> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: false });
  const kid = `${alg.toLowerCase()}-${index}`;
  const clientId = `${CLIENT_ID_PREFIX}${run}-${kid}`;
  return {
    clientId,
    alg,
    kid,
    privateKey,
    metadata: {
      client_id: clientId,
      client_name: `Token endpoint benchmark ${index}`,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: alg,
      tls_client_certificate_bound_access_tokens: true,
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }] },
      scope: 'accounts',
    },
  };
}

/** `count` clients per algorithm, with ids unique to this benchmark run. */
export async function makeBenchClients(algorithms: Algorithm[], count: number): Promise<Map<Algorithm, BenchClient[]>> {
  const run = randomBytes(4).toString('hex');
  const clients = new Map<Algorithm, BenchClient[]>();
  for (const alg of algorithms) {
    clients.set(alg, await Promise.all(Array.from({ length: count }, (_, index) => makeBenchClient(alg, index, run))));
  }
  return clients;
}
