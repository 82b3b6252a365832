import type { Knex } from 'knex';
import type { Adapter } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Context } from 'koa';

import { firstUseCheck } from '../auth/adapter/first-use-check.ts';
import { revokeGrantTokens } from '../auth/adapter/revoke-grant-tokens.ts';
import { createStoreAdapter } from '../auth/adapter/store-adapter.ts';
import { loadSigningKeys, type SigningJwks } from '../auth/keys/signing-keys.service.ts';
import { clientCertificateHooks } from '../auth/mtls/client-certificate.ts';
import { clientCertificateSightings } from '../auth/mtls/client-certificate-sightings.ts';
import { recordClientCertificates } from '../auth/mtls/record-client-certificates.ts';
import { announceProviderEvents } from '../auth/provider/announce-provider-events.ts';
import { createProvider } from '../auth/provider/create-provider.ts';
import { loadTrustedDirectories, type TrustedDirectoryKeys } from '../auth/registration/trusted-directories.ts';
import { createLoginThrottle, type LoginThrottle } from '../auth/sign-in/login-throttle.ts';
import type { Config, Secrets } from '../config/config.ts';
import { defaults } from '../config/defaults.ts';
import { deriveKey } from '../config/derive-key.ts';
import { resolveSecrets } from '../config/dev-secrets.ts';
import type { ConsentContext } from '../consent/consent-context.ts';
import type { RevokeGrant } from '../consent/consent.service.ts';
import { findConsentIdByGrant } from '../consent/consent.store.ts';
import { connectFailFastRedis, firstConnectionAttempt } from '../db/fail-fast-redis.ts';
import { openRelaxedCommitStore, openStore } from '../db/knex.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { storeLocationFor } from '../db/store-location.ts';
import { auditDomainEvents } from '../audit/audit-domain-events.ts';
import { createAuditLog, type AuditLog } from '../audit/audit-log.ts';
import { bridgeEventsAcrossInstances } from '../events/cross-instance-bridge.ts';
import { AUDITED_EVENTS } from '../events/event-catalogue.ts';
import { clientStanding, type ClientStanding } from '../gateway/credentials/client-standing.ts';
import { grantLiveness, type GrantLiveness } from '../gateway/credentials/grant-liveness.ts';
import { startGatewayRuntime, type GatewayRuntime } from '../gateway/gateway-runtime.ts';
import { applyBankApis } from '../gateway/declarative/apply-bank-apis.ts';
import { createEventBus, type EventBus } from '../events/event-bus.ts';
import type { Logger } from '../observability/logger.ts';
import { smtpMailer, type SmtpMailer } from '../portal/mail/smtp-mailer.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { trustedProxies, type TrustedProxies } from '../shared/trusted-proxies.ts';
import { loadBankIntegration, type BankIntegration } from './bank-integration.ts';
import { loadListenerPki, type ListenerPki } from './pki.ts';

/**
 * Everything the roles share, built once per process: configuration and secrets, the store, the
 * bus and the clock, the bank integration, the PKI, the token store adapter, and how to build the
 * authorization server for a generation of signing keys. Roles take what they need from it.
 */
export interface ServerContext {
  config: Config;
  logger: Logger;
  secrets: Secrets;
  db: Knex;
  clock: Clock;
  events: EventBus;
  bank: BankIntegration;
  pki: ListenerPki;
  /** oidc-provider's storage, over the store (and the relaxed-commit pool for the hot writes, or Redis for replay claims when `REDIS_URL` is set). */
  adapter: (model: string) => Adapter;
  /** Consent services' store, bus and clock. */
  consents: ConsentContext;
  /** Ends a grant and its tokens inside the caller's transaction. */
  revokeGrant: RevokeGrant;
  trustedProxies: TrustedProxies;
  /** The TLS client certificate of a request (PEM), from the handshake or a trusted proxy's header. */
  clientCertificate: (ctx: Context) => string | undefined;
  /** Keys of the directories trusted to sign software statements. */
  directories: TrustedDirectoryKeys;
  loginThrottle: LoginThrottle;
  /** Whether a grant still stands, answered from memory and dropped by `grant.revoked`: JWT access tokens end with their grant. */
  grants: GrantLiveness;
  /** Whether a partner's client is registered and not suspended, answered from memory and dropped by its events: its tokens stop with it. */
  clients: ClientStanding;
  /** The append-only, hash-chained audit log: domain events now, gateway calls of audited routes. */
  audit: AuditLog;
  /** The gateway's long-lived parts (catalogue, caches, pools, limits, records), when this process runs the gateway role. */
  gateway: GatewayRuntime | undefined;
  /** The developer portal's mail server (`SMTP_URL`), when this process runs the portal role: one pool of connections, closed with the context. */
  smtp: SmtpMailer | undefined;
  /** Keys of their own, derived from the key-encryption key so that none equals another. */
  csrfSecret: Buffer;
  dashboardSessionSecret: Buffer;
  /** The signing keys as they were at start; `watchSigningKeys` follows later changes. */
  initialJwks: SigningJwks;
  /** Builds the authorization server for a generation of signing keys. */
  buildProvider(jwks: SigningJwks): Provider;
  /** Closes what the context opened (the store, unless it was handed in). */
  close(): Promise<void>;
}

/**
 * Opens the store (migrating it unless a test handed one in), loads secrets, PKI, the bank
 * integration `BANK_INTEGRATION` names, the trusted directories and the signing keys.
 */
export async function buildServerContext(config: Config, logger: Logger, options: { db?: Knex } = {}): Promise<ServerContext> {
  // What is opened is closed in the reverse order, by `close()` or, should a later step of the
  // start fail, at once: a failed start leaves no connection, timer or pool behind.
  await using opened = new AsyncDisposableStack();
  const warn = (message: string) => logger.warn(message);
  const secrets = resolveSecrets(config, warn);
  const location = storeLocationFor(config);
  const db = options.db ?? openStore(location);
  if (!options.db) {
    opened.defer(() => db.destroy());
    await migrateToLatest(db);
  }
  const clock = systemClock;
  const bank = await loadBankIntegration({ config, secrets, db, logger, clock });
  opened.defer(async () => bank.close?.());
  const pki = await loadListenerPki(config, warn, bank.clientCaCertificates);
  const directoryJwks = config.directoryJwks ?? bank.directoryJwks ?? [];
  if (!config.directoryJwks) warn('TRUSTING THE BANK INTEGRATION\'S DIRECTORY for software statements; set DIRECTORY_JWKS to your ecosystem directory.');
  const directories = await loadTrustedDirectories(directoryJwks);
  const initialJwks = await loadSigningKeys(db, secrets.keyEncryptionKey, config.retiredKeyGrace);
  const events = createEventBus({ clock, onListenerError: (error, event) => logger.error({ err: error, event: event.name }, 'event.listener_error') });
  const eventBridge = await bridgeEventsAcrossInstances(db, events, logger);
  opened.defer(() => eventBridge.close());
  const audit = createAuditLog({ db, clock, logger, batchSize: defaults.audit.batchSize, flushIntervalMs: defaults.audit.flushInterval * 1000, queueLimit: defaults.audit.queueLimit });
  // Flushed before the store closes: entries are never silently dropped.
  opened.defer(() => audit.close().catch((error: unknown) => logger.error({ err: error }, 'audit.lost_on_close')));
  // Every change the product announces (the events other instances hear of too), and operators' sign-ins.
  opened.defer(auditDomainEvents(events, audit, AUDITED_EVENTS));
  const grants = grantLiveness(db, events, clock, { ttlMs: defaults.gateway.credentialCacheTtl * 1000 });
  opened.defer(() => grants.close());
  const clients = clientStanding(db, events, clock, { ttlMs: defaults.gateway.credentialCacheTtl * 1000 });
  opened.defer(() => clients.close());
  // A store handed in (by a test) serves everything, relaxed writes included.
  const relaxedDb = options.db ?? openRelaxedCommitStore(location, db);
  if (relaxedDb !== db) opened.defer(() => relaxedDb.destroy());
  // The transport certificates clients authenticate with, for operations. A sighting lost in a
  // database crash comes back with the pair's next write (each is an upsert, at most an hour
  // apart), so the relaxed-commit pool serves.
  const clientCertificates = clientCertificateSightings({
    db: relaxedDb, clock, logger,
    refreshMs: defaults.clientCertificates.refreshInterval * 1000,
    maxRemembered: defaults.clientCertificates.maxRemembered,
    maxPendingWrites: defaults.clientCertificates.maxPendingWrites,
  });
  opened.defer(() => clientCertificates.close());
  // Replay claims (client assertions, DPoP proofs here and at the gateway) in Redis when there is
  // one: every instance sees every claim, and PostgreSQL is spared a write per grant.
  const replayRedis = config.redisUrl ? connectFailFastRedis(config.redisUrl, { onError: (error) => logger.warn({ err: error }, 'replay.redis_error') }) : undefined;
  if (replayRedis) {
    opened.defer(() => replayRedis.disconnect());
    await firstConnectionAttempt(replayRedis);
  }
  const adapter = createStoreAdapter(db, { clientCacheTtl: defaults.clientCacheTtl, relaxedDb, events, replayRedis });
  const gateway = config.roles.includes('gateway')
    ? await startGatewayRuntime({ config, db, events, clock, logger, keys: initialJwks.keys, grants, clients, isFirstProof: firstUseCheck(adapter('ReplayDetection'), clock, 'gateway-dpop'), audit, clientCertificates })
    : undefined;
  if (gateway) opened.defer(() => gateway.close());
  if (gateway && bank.gatewayApis !== undefined) await applyBankApis({ db, events, clock, logger }, bank.gatewayApis);
  const smtp = config.roles.includes('portal') && config.mail.smtp ? smtpMailer({ server: config.mail.smtp, from: config.mail.from }) : undefined;
  if (smtp) opened.defer(() => smtp.close());
  const proxies = trustedProxies(config.proxy.trusted);
  const { getCertificate } = clientCertificateHooks({ trustedProxies: proxies, header: config.proxy.clientCertHeader, trustAnchors: pki.trustAnchors });
  const owned = opened.move();
  return {
    config,
    logger,
    secrets,
    db,
    clock,
    events,
    bank,
    pki,
    adapter,
    consents: { db, events, clock },
    // Partner, customer and ops end consents through the token store itself, in the consent's own transaction.
    revokeGrant: revokeGrantTokens,
    trustedProxies: proxies,
    clientCertificate: (ctx) => getCertificate(ctx as KoaContextWithOIDC),
    directories,
    loginThrottle: createLoginThrottle(db, defaults.loginThrottle),
    grants,
    clients,
    audit,
    gateway,
    smtp,
    csrfSecret: deriveKey(secrets, 'portcullis csrf tokens'),
    dashboardSessionSecret: deriveKey(secrets, 'portcullis dashboard sessions'),
    initialJwks,
    buildProvider(jwks) {
      const provider = createProvider(config.issuer, { config, secrets, adapter, jwks, authenticator: bank.authenticator, trustAnchors: pki.trustAnchors, intentIdOfGrant: (grantId) => findConsentIdByGrant(db, grantId) }, logger);
      announceProviderEvents(provider, events);
      provider.use(recordClientCertificates(getCertificate, clientCertificates));
      return provider;
    },
    close: () => owned.disposeAsync(),
  };
}
