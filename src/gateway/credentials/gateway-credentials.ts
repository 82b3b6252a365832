import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';

import type { FirstUseCheck } from '../../auth/adapter/first-use-check.ts';
import type { EventBus } from '../../events/event-bus.ts';
import type { ServiceContext } from '../../events/service-context.ts';
import type { GatewayApi } from '../catalogue/catalogue.types.ts';
import { findActiveSubscriptionPlanIds } from '../catalogue/catalogue.service.ts';
import { hashApiKey } from '../consumers/api-key-format.ts';
import { findApplicationByClientId, type ApplicationRow } from '../consumers/consumer.store.ts';
import { authenticateApiKey, type ApiKeyCheck } from '../consumers/consumers.service.ts';
import type { Authenticated, Credentials } from '../pipeline/gateway-deps.ts';
import { checkTokenHolder } from './check-token-holder.ts';
import { ExpiringCache } from '../../shared/expiring-cache.ts';
import type { ClientStanding } from './client-standing.ts';
import type { GrantLiveness } from './grant-liveness.ts';

/*
 * The gateway's credential checks with their hot caches, so that the happy path needs no store
 * round trip. Every cache is invalidated by the events that change what it holds (a revoked key,
 * a suspended application, a subscription's change), which reach every instance through
 * LISTEN/NOTIFY; the TTLs only bound how long a lost notification could matter.
 */

export interface CredentialCacheTimes {
  /** A key that checked out, and an application's subscriptions, ms. */
  hitMs: number;
  /** A key that did not: long enough to keep a guessing loop off the store, short enough not to matter. */
  missMs: number;
}

const MAX_ENTRIES = 100_000;

function scopesOf(claims: JWTPayload): Set<string> {
  if (typeof claims['scope'] === 'string') return new Set(claims['scope'].split(' ').filter(Boolean));
  if (Array.isArray(claims['scp'])) return new Set(claims['scp'].filter((scope): scope is string => typeof scope === 'string'));
  return new Set();
}

export interface GatewayCredentialsOptions {
  context: Pick<ServiceContext, 'db' | 'clock'>;
  events: EventBus;
  times: CredentialCacheTimes;
  /** Our own issuer and its public keys now (a rotation changes them): tokens we issued are checked without fetching anything. */
  issuer: { issuer: string; jwks: () => JSONWebKeySet };
  /** Whether a grant of ours still stands (one cache for every kind of API that takes our tokens). */
  grants: Pick<GrantLiveness, 'isLive'>;
  /** Whether the client a token of ours was issued to is registered and not suspended by the bank. */
  clients: Pick<ClientStanding, 'isActive'>;
  /** The replay check for DPoP proofs, shared by every instance (`jti`s keyed by the proof's key thumbprint). */
  isFirstProof: FirstUseCheck;
}

export function gatewayCredentials(options: GatewayCredentialsOptions): Credentials & { close(): void } {
  const { context, times } = options;
  const now = () => context.clock.now().getTime();
  const keys = new ExpiringCache<string, ApiKeyCheck>({ maxEntries: MAX_ENTRIES, now });
  const plans = new ExpiringCache<string, readonly string[]>({ maxEntries: MAX_ENTRIES, now });
  const clients = new ExpiringCache<string, ApplicationRow | null>({ maxEntries: MAX_ENTRIES, now });
  const remoteKeySets = new Map<string, JWTVerifyGetKey>();
  let own = { jwks: options.issuer.jwks(), getKey: createLocalJWKSet(options.issuer.jwks()) };
  const ownKeys: JWTVerifyGetKey = (header, token) => {
    const jwks = options.issuer.jwks();
    if (jwks !== own.jwks) own = { jwks, getKey: createLocalJWKSet(jwks) };
    return own.getKey(header, token);
  };

  const stops = [
    options.events.on('api_key.revoked', ({ payload }) => keys.deleteWhere((check) => 'authenticated' in check && check.authenticated.keyId === payload.keyId)),
    // A new key may be one a guessing loop was refused just now: no miss survives it.
    options.events.on('api_key.issued', ({ payload }) => keys.deleteWhere((check) => 'refused' in check || check.authenticated.keyId === payload.replaces?.keyId)),
    options.events.on('application.status_changed', ({ payload }) => {
      keys.deleteWhere((check) => 'refused' in check || check.authenticated.application.id === payload.applicationId);
      clients.deleteWhere((application) => application?.id === payload.applicationId);
    }),
    options.events.on('application.created', ({ payload }) => {
      if (payload.clientId) clients.delete(payload.clientId);
    }),
    options.events.on('subscription.status_changed', ({ payload }) => plans.delete(payload.applicationId)),
    options.events.on('plan.changed', () => plans.clear()),
    options.events.on('events.resynced', () => {
      keys.clear();
      plans.clear();
      clients.clear();
    }),
  ];

  const keySetFor = (api: GatewayApi): { getKey: JWTVerifyGetKey; issuer: string; audience: string | undefined; ours: boolean } => {
    const settings = api.settings.oauth2;
    if (!settings || settings.issuer === options.issuer.issuer) return { getKey: ownKeys, issuer: options.issuer.issuer, audience: settings?.audience, ours: true };
    let getKey = remoteKeySets.get(settings.jwksUri);
    if (!getKey) {
      getKey = createRemoteJWKSet(new URL(settings.jwksUri), { timeoutDuration: 3000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
      remoteKeySets.set(settings.jwksUri, getKey);
    }
    return { getKey, issuer: settings.issuer, audience: settings.audience, ours: false };
  };

  const applicationOfClient = async (clientId: string): Promise<ApplicationRow | undefined> => {
    const cached = clients.get(clientId);
    if (cached !== undefined) return cached ?? undefined;
    const found = await findApplicationByClientId(context.db, clientId);
    clients.set(clientId, found ?? null, times.hitMs);
    return found;
  };

  return {
    async apiKey(presented): Promise<Authenticated> {
      const hash = hashApiKey(presented);
      let check = keys.get(hash);
      if (!check) {
        check = await authenticateApiKey(context, presented);
        const expiresAt = 'authenticated' in check ? check.authenticated.expiresAt?.getTime() : undefined;
        const ttl = 'authenticated' in check ? Math.min(times.hitMs, (expiresAt ?? Infinity) - now()) : times.missMs;
        keys.set(hash, check, ttl);
      }
      if ('refused' in check) {
        return check.refused === 'suspended'
          ? { refused: 'suspended', description: 'The application this key belongs to is suspended' }
          : { refused: 'unknown', description: 'The API key is not valid' };
      }
      const { application, keyId } = check.authenticated;
      return { caller: { applicationId: application.id, organisationId: application.organisation_id, keyId, scopes: new Set() } };
    },

    async bearer(api, presented): Promise<Authenticated> {
      const { token } = presented;
      const { getKey, issuer, audience, ours } = keySetFor(api);
      let claims: JWTPayload;
      try {
        // Our keys sign more than access tokens (ID tokens, caller identities, signed responses):
        // only an RFC 9068 one is taken (§4: `typ` at+jwt). Other issuers' tokens may not say it.
        ({ payload: claims } = await jwtVerify(token, getKey, { issuer, ...(audience ? { audience } : {}), ...(ours ? { typ: 'at+jwt' } : {}), clockTolerance: 5, currentDate: context.clock.now(), requiredClaims: ['exp'] }));
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) return { refused: 'expired', description: 'The access token has expired' };
        if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') return { refused: 'wrong_audience', description: 'The access token is not for this API' };
        if (error instanceof joseErrors.JOSEError) return { refused: 'invalid', description: 'The access token is not valid' };
        throw error;
      }
      // Whoever is not the holder learns nothing more of the token (its grant, its application).
      const unproven = await checkTokenHolder(claims, presented, options.isFirstProof);
      if (unproven) return unproven;
      // A token of ours ends with its grant (a consent ended, a refresh token revoked), long before
      // its `exp`; `grant.revoked` from any instance reaches grant liveness at once. RFC 6750 §3.1
      // counts a revoked token as invalid, and it is answered as one.
      const grantId = ours ? claims['grant_id'] : undefined;
      if (typeof grantId === 'string' && !(await options.grants.isLive(grantId))) return { refused: 'revoked', description: 'The access token is not valid' };
      const clientId = typeof claims['client_id'] === 'string' ? claims['client_id'] : typeof claims['azp'] === 'string' ? claims['azp'] : undefined;
      // A client the bank suspended or removed holds tokens that are not revoked, only refused meanwhile.
      if (ours && clientId && !(await options.clients.isActive(clientId))) return { refused: 'revoked', description: 'The access token is not valid' };
      const application = clientId ? await applicationOfClient(clientId) : undefined;
      if (application?.status === 'suspended') return { refused: 'suspended', description: 'The application this client belongs to is suspended' };
      return {
        caller: {
          scopes: scopesOf(claims), claims,
          ...(clientId ? { clientId } : {}), ...(claims.sub ? { subject: claims.sub } : {}),
          ...(application ? { applicationId: application.id, organisationId: application.organisation_id } : {}),
        },
      };
    },

    async subscribedPlanIds(applicationId) {
      const cached = plans.get(applicationId);
      if (cached) return cached;
      const found = await findActiveSubscriptionPlanIds(context.db, applicationId);
      plans.set(applicationId, found, times.hitMs);
      return found;
    },

    close() {
      for (const stop of stops) stop();
    },
  };
}
