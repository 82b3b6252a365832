import { randomUUID } from 'node:crypto';

import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import * as oc from 'openid-client';

import { registerClient } from '../../src/auth/clients/register-client.ts';
import type { PartnerTarget } from './portcullis.ts';
import { tlsFetch, type TlsIdentity } from './tls-fetch.ts';

export const REDIRECT_URI = 'https://tpp.example/callback';

/**
 * An Open Banking authorization must name its consent: flow tests that are about something else
 * describe one with RAR, `authorization_details` for read access to accounts and balances.
 */
export const ACCOUNT_ACCESS_DETAILS = JSON.stringify([{ type: 'account_information', permissions: ['ReadAccountsBasic', 'ReadBalances'] }]);

export interface PartnerKeys {
  privateKey: CryptoKey;
  publicJwk: JWK;
  kid: string;
  alg: 'ES256' | 'PS256';
}

export async function partnerKeys(alg: 'ES256' | 'PS256' = 'ES256'): Promise<PartnerKeys> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, kid, alg };
}

/** Registers a `private_key_jwt` client (DPoP-bound unless stated) and returns its keys. */
export async function registerKeyClient(portcullis: PartnerTarget, metadata: Record<string, unknown> = {}, alg: 'ES256' | 'PS256' = 'ES256') {
  const keys = await partnerKeys(alg);
  const clientId = `client-${randomUUID()}`;
  await registerClient(portcullis.provider, {
    client_id: clientId,
    client_name: 'Test TPP',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: alg,
    request_object_signing_alg: alg,
    jwks: { keys: [keys.publicJwk] },
    scope: 'openid accounts payments',
    software_roles: ['AISP', 'PISP', 'CBPII'],
    ...metadata,
  });
  return { clientId, keys };
}

/** An openid-client configuration for the client, over TLS that trusts the dev CA. */
export async function discover(portcullis: PartnerTarget, clientId: string, auth: oc.ClientAuth, metadata: Partial<oc.ClientMetadata> = {}, identity?: TlsIdentity): Promise<oc.Configuration> {
  const fetchImpl = tlsFetch(portcullis.caPem, identity);
  const config = await oc.discovery(new URL(portcullis.config.issuer), clientId, metadata, auth, { [oc.customFetch]: fetchImpl as never });
  return config;
}

/**
 * Registers a DPoP client and pushes an authorization request for `openid accounts`: the URL a
 * partner sends its customer to, for tests that need an authorization under way.
 */
export async function pushedAuthorization(portcullis: PartnerTarget): Promise<URL> {
  const { clientId, keys } = await registerKeyClient(portcullis);
  const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }));
  const DPoP = oc.getDPoPHandle(config, await oc.randomDPoPKeyPair('ES256'));
  return oc.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    authorization_details: ACCOUNT_ACCESS_DETAILS,
    code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  }, { DPoP });
}
