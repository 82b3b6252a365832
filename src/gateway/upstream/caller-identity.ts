import { constants, KeyObject, sign } from 'node:crypto';

import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

import { epochSeconds, type Clock } from '../../shared/clock.ts';

/*
 * Who is calling, told to the upstream in one signed header, `x-portcullis-identity`: a short-lived
 * JWT (typ `portcullis-identity+jwt`, so it cannot pass for an access token or an ID token) signed
 * with the gateway's key, its audience the upstream target it goes to, so that one upstream cannot
 * replay it at another. The upstream trusts it because it verifies it against the gateway's JWKS
 * (`verifyCallerIdentity`), not because it came over some network path; the gateway drops any such
 * header a caller sends.
 *
 * Its claims are always the call's own, so the identity is never one call late; but a signature
 * (about 50 µs of one core for ES256, `node bench/caller-identity/run.ts`) was a tenth of a gateway
 * call's CPU, so the same claims for the same upstream reuse their token for a few seconds of its
 * minute (`REUSE_SECONDS`): the upstream sees an `iat` at most that old.
 */

export const CALLER_IDENTITY_HEADER = 'x-portcullis-identity';
export const CALLER_IDENTITY_TYPE = 'portcullis-identity+jwt';
const ALGORITHMS = ['ES256', 'PS256'];
// Seconds of clock skew between the gateway and an upstream that still let a token through.
const CLOCK_TOLERANCE_SECONDS = 5;

/** What the gateway established about the caller of one call; absent fields did not apply. */
export interface CallerIdentity {
  /** The OAuth client (`fapi`, `oauth2`). */
  clientId?: string;
  applicationId?: string;
  organisationId?: string;
  /** The bank customer who granted the consent (Open Banking). */
  customerId?: string;
  consentId?: string;
  /** The accounts the consent covers, as the customer chose them (a payment's: the account it debits). */
  accountIds?: string[];
  /** An account access consent's Permissions, which decide what the bank core answers (Basic or Detail, credits or debits). */
  permissions?: string[];
  /** An account access consent's TransactionFromDateTime and TransactionToDateTime: the only transactions it may read. */
  transactionPeriod?: { from?: string; to?: string };
  scopes?: string[];
  apiId: string;
  routeId: string;
}

export interface SignCallerIdentityOptions {
  /**
   * The gateway's private key: a P-256 key for ES256, an RSA key of 2048 bits or more for PS256.
   * A node:crypto KeyObject (`createPrivateKey({ key: privateJwk, format: 'jwk' })`, made once per key).
   */
  key: KeyObject;
  kid: string;
  alg: 'ES256' | 'PS256';
  /** The gateway's issuer identifier. */
  issuer: string;
  /** The upstream target's URL. */
  audience: string;
  /** How long it is valid: a minute is plenty, it is used at once. */
  ttlSeconds: number;
  clock: Clock;
}

/*
 * Signed with node:crypto's synchronous `sign` rather than jose's `SignJWT`: on the hot path jose
 * costs about 180 µs per ES256 signature (WebCrypto's asynchronous round trip and its checks)
 * against about 50 µs here. What is cached is not secret: which keys were already checked to fit
 * their algorithm (keyed by the key itself, so a new key is always checked), and the encoded
 * protected header, which depends only on alg and kid.
 */
const checkedKeys = new WeakMap<KeyObject, 'ES256' | 'PS256'>();
const encodedHeaders = new Map<string, string>();

function assertKeyFits(key: KeyObject, alg: 'ES256' | 'PS256'): void {
  if (checkedKeys.get(key) === alg) return;
  const details = key.asymmetricKeyDetails;
  const fits =
    key.type === 'private' &&
    (alg === 'ES256'
      ? key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1'
      : (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') && (details?.modulusLength ?? 0) >= 2048);
  if (!fits) throw new TypeError(`the caller identity key is not a private key for ${alg}`);
  checkedKeys.set(key, alg);
}

function encodedHeader(alg: 'ES256' | 'PS256', kid: string): string {
  const cacheKey = `${alg} ${kid}`;
  let encoded = encodedHeaders.get(cacheKey);
  if (encoded === undefined) {
    encoded = Buffer.from(JSON.stringify({ alg, kid, typ: CALLER_IDENTITY_TYPE })).toString('base64url');
    encodedHeaders.set(cacheKey, encoded);
  }
  return encoded;
}

const REUSE_SECONDS = 5;
// Per key (a new key signs anew); bounded, emptied when full.
const REMEMBERED_IDENTITIES = 10_000;
const signedIdentities = new WeakMap<KeyObject, Map<string, { token: string; iat: number }>>();

/** Signs `identity` for one call to `options.audience` (a compact JWS); the result goes in `CALLER_IDENTITY_HEADER`. */
export function signCallerIdentity(identity: CallerIdentity, options: SignCallerIdentityOptions): string {
  assertKeyFits(options.key, options.alg);
  const now = epochSeconds(options.clock);
  let signed = signedIdentities.get(options.key);
  if (!signed) signedIdentities.set(options.key, (signed = new Map()));
  const reuseKey = JSON.stringify([options.alg, options.kid, options.issuer, options.audience, options.ttlSeconds, identity]);
  const earlier = signed.get(reuseKey);
  if (earlier && now >= earlier.iat && now - earlier.iat < REUSE_SECONDS) return earlier.token;
  if (signed.size >= REMEMBERED_IDENTITIES) signed.clear();
  const token = signIdentityNow(identity, options, now);
  signed.set(reuseKey, { token, iat: now });
  return token;
}

function signIdentityNow(identity: CallerIdentity, options: SignCallerIdentityOptions, now: number): string {
  const claims = {
    iss: options.issuer,
    aud: options.audience,
    iat: now,
    exp: now + options.ttlSeconds,
    sub: identity.customerId,
    client_id: identity.clientId,
    application_id: identity.applicationId,
    organisation_id: identity.organisationId,
    consent_id: identity.consentId,
    account_ids: identity.accountIds,
    permissions: identity.permissions,
    transaction_period: identity.transactionPeriod,
    // RFC 9068 §2.2.3: scopes as one space-separated string.
    scope: identity.scopes?.join(' '),
    api_id: identity.apiId,
    route_id: identity.routeId,
  };
  const signingInput = `${encodedHeader(options.alg, options.kid)}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  // RFC 7518 §3.4: ECDSA signatures as R || S; §3.5: RSASSA-PSS with a salt as long as the hash.
  const signature = sign('sha256', Buffer.from(signingInput), options.alg === 'ES256' ? { key: options.key, dsaEncoding: 'ieee-p1363' } : { key: options.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return `${signingInput}.${signature.toString('base64url')}`;
}

const IDENTITY_CLAIMS = z.object({
  client_id: z.string().optional(),
  application_id: z.string().optional(),
  organisation_id: z.string().optional(),
  sub: z.string().optional(),
  consent_id: z.string().optional(),
  account_ids: z.array(z.string()).optional(),
  permissions: z.array(z.string()).optional(),
  transaction_period: z.object({ from: z.string().optional(), to: z.string().optional() }).optional(),
  scope: z.string().optional(),
  api_id: z.string(),
  route_id: z.string(),
});

/** The identity header did not verify: bad signature, unknown key, wrong issuer, audience or type, expired, or malformed. */
export class CallerIdentityRefused extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'CallerIdentityRefused';
  }
}

export interface VerifyCallerIdentityOptions {
  /** The gateway's public keys, or a jose key getter (`createRemoteJWKSet` for its JWKS URL). */
  jwks: JSONWebKeySet | JWTVerifyGetKey;
  issuer: string;
  /** This upstream's own URL, as the gateway's catalogue names it. */
  audience: string;
  clock: Clock;
}

const localKeySets = new WeakMap<JSONWebKeySet, JWTVerifyGetKey>();

function keyGetter(jwks: JSONWebKeySet | JWTVerifyGetKey): JWTVerifyGetKey {
  if (typeof jwks === 'function') return jwks;
  let getter = localKeySets.get(jwks);
  if (!getter) {
    getter = createLocalJWKSet(jwks);
    localKeySets.set(jwks, getter);
  }
  return getter;
}

/**
 * For upstreams: checks the `x-portcullis-identity` header and returns the caller it names.
 * Throws `CallerIdentityRefused` (the jose error in `cause`) when it does not verify.
 *
 * @example
 * ```ts
 * const caller = await verifyCallerIdentity(req.headers['x-portcullis-identity'], {
 *   jwks: createRemoteJWKSet(new URL('https://gateway.example/jwks')), issuer, audience: 'http://bank:8080/ob', clock: systemClock });
 * ```
 */
export async function verifyCallerIdentity(jws: string, options: VerifyCallerIdentityOptions): Promise<CallerIdentity> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(jws, keyGetter(options.jwks), {
      issuer: options.issuer,
      audience: options.audience,
      typ: CALLER_IDENTITY_TYPE,
      algorithms: ALGORITHMS,
      requiredClaims: ['iat', 'exp'],
      currentDate: options.clock.now(),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    throw new CallerIdentityRefused('the caller identity does not verify', { cause: error });
  }
  const claims = IDENTITY_CLAIMS.safeParse(payload);
  if (!claims.success) throw new CallerIdentityRefused('the caller identity is malformed', { cause: claims.error });
  const { client_id, application_id, organisation_id, sub, consent_id, account_ids, permissions, transaction_period, scope, api_id, route_id } = claims.data;
  return {
    ...(client_id !== undefined && { clientId: client_id }),
    ...(application_id !== undefined && { applicationId: application_id }),
    ...(organisation_id !== undefined && { organisationId: organisation_id }),
    ...(sub !== undefined && { customerId: sub }),
    ...(consent_id !== undefined && { consentId: consent_id }),
    ...(account_ids !== undefined && { accountIds: account_ids }),
    ...(permissions !== undefined && { permissions }),
    ...(transaction_period !== undefined && { transactionPeriod: transaction_period }),
    ...(scope !== undefined && { scopes: scope === '' ? [] : scope.split(' ') }),
    apiId: api_id,
    routeId: route_id,
  };
}
