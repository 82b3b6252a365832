import { createPrivateKey, type KeyObject } from 'node:crypto';

import type { JSONWebKeySet, JWK } from 'jose';
import type { Knex } from 'knex';
import { Registry } from 'prom-client';

import type { FirstUseCheck } from '../auth/adapter/first-use-check.ts';
import { publicJwks } from '../auth/keys/public-jwks.ts';
import type { Config } from '../config/config.ts';
import { defaults } from '../config/defaults.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Logger } from '../observability/logger.ts';
import type { Clock } from '../shared/clock.ts';
import { gatewayCredentials } from './credentials/gateway-credentials.ts';
import type { ClientStanding } from './credentials/client-standing.ts';
import type { GrantLiveness } from './credentials/grant-liveness.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { createAnalytics, type Analytics } from '../analytics/analytics.service.ts';
import type { ClientCertificateSightings } from '../auth/mtls/client-certificate-sightings.ts';
import { createGatewayMetrics, type GatewayMetrics } from '../analytics/gateway-metrics.ts';
import { consentLookup, type ConsentLookup } from './openbanking/consent-lookup.ts';
import { connectFailFastRedis, firstConnectionAttempt } from '../db/fail-fast-redis.ts';
import { createRateLimits } from './limits/rate-limits.service.ts';
import type { Credentials, GatewayDeps, Limits, SignIdentity } from './pipeline/gateway-deps.ts';
import { recordGatewayCall } from './record-gateway-call.ts';
import { liveCatalogue, type LiveCatalogue } from './runtime/live-catalogue.ts';
import { signCallerIdentity } from './upstream/caller-identity.ts';
import { createUpstreamClient, type UpstreamClient } from './upstream/upstream-client.ts';

/*
 * What a gateway process keeps for its whole life, across key rotations (which rebuild only the
 * routes): the live catalogue, the credential and grant caches, the upstream pools and breakers,
 * the limits, the records. Built once when the process runs the gateway role; closed last.
 */

export interface GatewayRuntime {
  catalogue: LiveCatalogue;
  credentials: Credentials;
  grants: GrantLiveness;
  upstreams: UpstreamClient;
  limits: Limits;
  consents: ConsentLookup;
  /** This process's metrics (`GET /metrics` on the admin listener). */
  registry: Registry;
  metrics: GatewayMetrics;
  analytics: Analytics;
  audit: AuditLog;
  /** Our signing keys now: public ones verify our JWTs, the ES256 one signs caller identities. */
  useSigningKeys(keys: readonly JWK[]): void;
  publicKeys(): JSONWebKeySet;
  signIdentity: SignIdentity;
  close(): Promise<void>;
}

export interface GatewayRuntimeInputs {
  config: Config;
  db: Knex;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  keys: readonly JWK[];
  grants: GrantLiveness;
  /** Whether the client one of our tokens was issued to is registered and not suspended. */
  clients: Pick<ClientStanding, 'isActive'>;
  /** The replay check for the DPoP proofs `oauth2` APIs take. */
  isFirstProof: FirstUseCheck;
  audit: AuditLog;
  /** The record of clients' transport certificates, whose counts `/metrics` shows. */
  clientCertificates: Pick<ClientCertificateSightings, 'stats'>;
}

function identityKey(keys: readonly JWK[]): { key: KeyObject; kid: string } {
  const jwk = keys.find((key) => key.alg === 'ES256' && key.d && !key.key_ops?.includes('verify'));
  if (!jwk?.kid) throw new Error('no ES256 signing key is active; the gateway signs caller identities with one');
  return { key: createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }), kid: jwk.kid };
}

export async function startGatewayRuntime(inputs: GatewayRuntimeInputs): Promise<GatewayRuntime> {
  const { config, db, events, clock, logger } = inputs;
  const settings = defaults.gateway;
  let jwks = publicJwks(inputs.keys);
  let signer = identityKey(inputs.keys);
  // Closed in the reverse order of their making, by `close()` or at once should the start fail.
  await using opened = new AsyncDisposableStack();
  const catalogue = await liveCatalogue(db, events, logger, { safetyReloadMs: settings.catalogueSafetyReload * 1000 });
  opened.defer(() => catalogue.close());
  const credentials = gatewayCredentials({
    context: { db, clock }, events,
    times: { hitMs: settings.credentialCacheTtl * 1000, missMs: settings.credentialMissTtl * 1000 },
    issuer: { issuer: config.issuer, jwks: () => jwks }, grants: inputs.grants, clients: inputs.clients, isFirstProof: inputs.isFirstProof,
  });
  opened.defer(() => credentials.close());
  const registry = new Registry();
  const metrics = createGatewayMetrics(registry, { auditStats: () => inputs.audit.stats(), clientCertificateStats: () => inputs.clientCertificates.stats() });
  const analytics = createAnalytics({ db, clock, logger, flushIntervalMs: config.analyticsFlushInterval * 1000, maxPendingRows: settings.analyticsMaxPendingRows, metrics });
  opened.defer(() => analytics.close().catch((error: unknown) => logger.error({ err: error }, 'gateway.analytics_lost_on_close')));
  const redis = config.redisUrl ? connectFailFastRedis(config.redisUrl, { onError: (error) => logger.warn({ err: error }, 'gateway.limits_redis_error') }) : undefined;
  const limits = createRateLimits({
    ...(redis ? { redis } : {}), keyPrefix: 'portcullis:limits', onRedisFailure: config.rateLimitOnRedisFailure, clock,
    reportRedisFailure: () => metrics.countRedisFailure(),
  });
  opened.defer(() => limits.close());
  if (redis) await firstConnectionAttempt(redis);
  const consents = consentLookup(db, events, clock, { ttlMs: settings.credentialCacheTtl * 1000 });
  opened.defer(() => consents.close());
  const upstreams = createUpstreamClient({
    logger,
    timeouts: { connectMs: settings.upstreamConnectTimeout * 1000, headersMs: settings.upstreamHeadersTimeout * 1000, bodyMs: settings.upstreamBodyTimeout * 1000 },
    breaker: { consecutiveFailures: settings.breakerFailures, halfOpenAfterMs: settings.breakerHalfOpenAfter * 1000 },
    retries: settings.upstreamRetries,
    onBreakerStateChange: (upstream, state) => {
      metrics.setBreakerState(upstream, state);
      logger.warn({ upstream, state }, 'gateway.breaker_state');
    },
  });
  opened.defer(() => upstreams.close());
  const owned = opened.move();

  return {
    catalogue, credentials, grants: inputs.grants, upstreams, limits, consents, registry, metrics, analytics, audit: inputs.audit,
    useSigningKeys(keys) {
      jwks = publicJwks(keys);
      signer = identityKey(keys);
    },
    publicKeys: () => jwks,
    signIdentity: (caller, call) => (targetUrl) => signCallerIdentity({
      ...(caller.clientId ? { clientId: caller.clientId } : {}), ...(caller.applicationId ? { applicationId: caller.applicationId } : {}),
      ...(caller.organisationId ? { organisationId: caller.organisationId } : {}), ...(caller.subject && caller.consentId ? { customerId: caller.subject } : {}),
      ...(caller.consentId ? { consentId: caller.consentId } : {}), ...(caller.accountIds ? { accountIds: [...caller.accountIds] } : {}),
      ...(caller.permissions ? { permissions: [...caller.permissions] } : {}), ...(caller.transactionPeriod ? { transactionPeriod: caller.transactionPeriod } : {}),
      scopes: [...caller.scopes], apiId: call.apiId, routeId: call.routeId,
    }, { key: signer.key, kid: signer.kid, alg: 'ES256', issuer: config.issuer, audience: targetUrl, ttlSeconds: settings.identityTtl, clock }),
    close: () => owned.disposeAsync(),
  };
}

/** The pipeline's dependencies from the runtime. */
export function gatewayDeps(runtime: GatewayRuntime, inputs: { config: Config; clock: Clock; logger: Logger }): GatewayDeps {
  return {
    routes: runtime.catalogue.current, credentials: runtime.credentials, limits: runtime.limits, upstreams: runtime.upstreams, signIdentity: runtime.signIdentity,
    audit: runtime.audit, record: recordGatewayCall(runtime.analytics, runtime.metrics, runtime.audit, inputs.logger), publicBaseUrl: inputs.config.gatewayBaseUrl, maxBodyBytes: defaults.gateway.maxBodyBytes, clock: inputs.clock, logger: inputs.logger,
  };
}
