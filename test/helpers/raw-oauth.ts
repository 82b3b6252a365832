import { createHash, randomUUID } from 'node:crypto';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

import type { PartnerKeys } from './partner-client.ts';

/** A client assertion (RFC 7523) with overridable claims and header, for bad-path tests. */
export async function clientAssertion(keys: PartnerKeys, clientId: string, audience: string, options: { claims?: Record<string, unknown>; alg?: string; key?: CryptoKey | Uint8Array; expiresIn?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: clientId, sub: clientId, aud: audience, jti: randomUUID(), iat: now, exp: now + (options.expiresIn ?? 60), ...options.claims })
    .setProtectedHeader({ alg: options.alg ?? keys.alg, kid: keys.kid })
    .sign(options.key ?? keys.privateKey);
}

/** An unsigned (`alg: none`) JWT, which jose will not produce. */
export function unsecuredJwt(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none' })}.${encode(claims)}.`;
}

export interface DpopKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  thumbprint: string;
}

export async function dpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { privateKey, publicJwk, thumbprint: await calculateJwkThumbprint(publicJwk) };
}

/** The `ath` a DPoP proof sent with `accessToken` carries (RFC 9449 §4.2): its SHA-256, base64url. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}

/** A DPoP proof (RFC 9449 §4.2); every claim can be overridden to make it wrong. */
export async function dpopProof(key: DpopKey, htm: string, htu: string, claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ htm, htu, jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk })
    .sign(key.privateKey);
}

export interface FormResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** POSTs a form and reads the JSON answer. */
export async function postForm(fetchImpl: typeof fetch, url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<FormResponse> {
  const response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/**
 * Asks the server for a fresh DPoP nonce (RFC 9449 §8) by sending `form` (a request the endpoint
 * would otherwise accept) with a proof that has none.
 */
export async function dpopNonce(fetchImpl: typeof fetch, url: string, key: DpopKey, form: Record<string, string>): Promise<string> {
  const response = await postForm(fetchImpl, url, form, { dpop: await dpopProof(key, 'POST', url) });
  const nonce = response.headers.get('dpop-nonce');
  if (!nonce) throw new Error(`no DPoP-Nonce from ${url} (status ${response.status})`);
  return nonce;
}
