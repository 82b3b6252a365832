import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

import type { Knex } from 'knex';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

import type { Config, Secrets } from '../config/config.ts';
import { defaults } from '../config/defaults.ts';
import { resolveSecrets } from '../config/dev-secrets.ts';
import { createStoreAdapter } from '../auth/adapter/store-adapter.ts';
import { startSweeper } from '../auth/adapter/expiry-sweeper.ts';
import { passwordAuthenticator } from '../auth/customers/password-authenticator.ts';
import { createLoginThrottle } from '../auth/interactions/login-throttle.ts';
import { loadSigningKeys, type SigningJwks } from '../auth/keys/signing-keys.service.ts';
import { SIGNING_KEY_POLL_SECONDS, watchSigningKeys } from '../auth/keys/watch-signing-keys.ts';
import { createProvider } from '../auth/provider/create-provider.ts';
import { openBankingResourceIndicator } from '../auth/provider/resource-server.ts';
import { ROUTES } from '../auth/provider/routes.ts';
import { acceptSoftwareStatement } from '../auth/registration/accept-software-statement.ts';
import { registrationReplayCheck } from '../auth/registration/registration-replay.ts';
import { loadTrustedDirectories } from '../auth/registration/trusted-directories.ts';
import { clientCertificateHooks } from '../auth/mtls/client-certificate.ts';
import { consentApi as consentApiFor } from '../consent/consent.routes.ts';
import { bankResponseSigner } from '../consent/jws-signature/bank-response-signer.ts';
import { findConsentIdByGrant } from '../consent/consent.store.ts';
import { consentJourney } from '../consent/journey/consent-journey.ts';
import { grantRevoker } from '../consent/revoke-grant.ts';
import { openRelaxedCommitStore, openStore } from '../db/knex.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { storeLocationFor } from '../db/store-location.ts';
import type { Logger } from '../observability/logger.ts';
import { ensureDevPki } from '../pki/dev-pki.ts';
import { splitPemBundle } from '../pki/pem-bundle.ts';
import { sandboxAccounts } from '../../sandbox/accounts.ts';
import { seedSandboxCustomers } from '../../sandbox/customers.ts';
import { createSandboxDirectory } from '../../sandbox/directory/sandbox-directory.ts';
import { browserApp } from './browser-app.ts';
import { createListener } from './create-listener.ts';
import { browserErrorFamily, partnerErrorFamily } from './error-family.ts';
import { partnerApp } from './partner-app.ts';
import { browserTlsOptions, partnerTlsOptions, type ServerCredentials } from './tls-options.ts';

export interface Portcullis {
  provider: Provider;
  db: Knex;
  secrets: Secrets;
  /** Base URLs the listeners actually bound to. */
  urls: { browser: string; partner: string };
  /** PEM trust anchors for client certificates (the dev CA unless configured). */
  trustAnchors: string[];
  close(): Promise<void>;
}

interface Pki {
  server: ServerCredentials;
  trustAnchors: string[];
}

async function loadPki(config: Config, warn: (message: string) => void): Promise<Pki> {
  const hostnames = [...new Set([new URL(config.issuer).hostname, new URL(config.mtlsBaseUrl).hostname])];
  const needsDev = !config.tls.certFile || !config.tls.clientCaFile;
  const dev = needsDev ? await ensureDevPki(config.certsDir, hostnames) : undefined;
  if (dev) warn(`DEVELOPMENT PKI IN USE (${config.certsDir}): its CA key is on disk; never use it for real partners.`);
  const server = config.tls.certFile && config.tls.keyFile
    ? { certificatePem: readFileSync(config.tls.certFile, 'utf8'), privateKeyPem: readFileSync(config.tls.keyFile, 'utf8') }
    : { certificatePem: dev!.serverCertificatePem, privateKeyPem: dev!.serverPrivateKeyPem };
  const trustAnchors = config.tls.clientCaFile ? splitPemBundle(readFileSync(config.tls.clientCaFile, 'utf8')) : [dev!.caCertificatePem];
  return { server, trustAnchors };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the whole control plane: store and migrations, PKI, signing keys, the authorization
 * server, and both listeners. Outside production it also seeds the sandbox (customers, directory).
 * Tests call this with their own config and store, exactly as `main.ts` does.
 */
export async function startPortcullis(config: Config, logger: Logger, options: { db?: Knex } = {}): Promise<Portcullis> {
  const warn = (message: string) => logger.warn(message);
  const secrets = resolveSecrets(config, warn);
  const location = storeLocationFor(config);
  const db = options.db ?? openStore(location);
  if (!options.db) await migrateToLatest(db);
  const pki = await loadPki(config, warn);
  const sandbox = config.env !== 'production';
  if (sandbox) await seedSandboxCustomers(db);
  const directoryJwks = config.directoryJwks ?? [(await createSandboxDirectory(config.certsDir)).jwksPath];
  if (!config.directoryJwks) warn('TRUSTING THE SANDBOX DIRECTORY for software statements; set DIRECTORY_JWKS to your ecosystem directory.');
  const directories = await loadTrustedDirectories(directoryJwks);
  const jwks = await loadSigningKeys(db, secrets.keyEncryptionKey, config.retiredKeyGrace);
  const authenticator = passwordAuthenticator(db);
  const loginThrottle = createLoginThrottle(db, defaults.loginThrottle);
  // A key of its own for CSRF tokens, derived so that it never equals the key-encryption key.
  const csrfSecret = Buffer.from(hkdfSync('sha256', secrets.keyEncryptionKey, '', 'portcullis csrf tokens', 32));
  // Likewise for the Connected apps dashboard's session cookies: a different info, a different key.
  const dashboardSessionSecret = Buffer.from(hkdfSync('sha256', secrets.keyEncryptionKey, '', 'portcullis dashboard sessions', 32));

  // A store handed in (by a test) serves everything, relaxed writes included.
  const relaxedDb = options.db ?? openRelaxedCommitStore(location, db);
  const adapter = createStoreAdapter(db, { clientCacheTtl: defaults.clientCacheTtl, relaxedDb });
  // Partner, customer and ops end consents through the token store itself, whichever provider is current.
  const revokeGrant = grantRevoker(adapter('AccessToken'));
  const trustedProxies = new Set(config.proxy.trusted);
  const registration = acceptSoftwareStatement(ROUTES.registration, { directories, issuer: config.issuer, isFirstUse: registrationReplayCheck(adapter('ReplayDetection')) }, logger);
  // oidc-provider fixes its keystore when it is built, so a key rotation builds the provider and
  // both apps afresh and swaps the listeners' handlers; requests in flight finish where they began.
  const { getCertificate } = clientCertificateHooks({ trustedProxies, header: config.proxy.clientCertHeader, trustAnchors: pki.trustAnchors });
  const { openBanking } = config;
  const buildHandlers = async (signingJwks: SigningJwks) => {
    const provider = createProvider(config.issuer, { config, secrets, adapter, jwks: signingJwks, authenticator, trustAnchors: pki.trustAnchors, intentIdOfGrant: (grantId) => findConsentIdByGrant(db, grantId) }, logger);
    const consentApi = consentApiFor({
      db,
      provider,
      baseUrl: config.mtlsBaseUrl,
      audience: openBankingResourceIndicator(config.mtlsBaseUrl),
      clientCertificate: (ctx) => getCertificate(ctx as KoaContextWithOIDC),
      accounts: sandboxAccounts,
      revokeGrant,
      logger,
      messageSigning: {
        enabled: openBanking.messageSigning,
        trustAnchor: openBanking.trustAnchor,
        responseSigner: openBanking.messageSigning ? await bankResponseSigner(signingJwks.keys, openBanking.organisationId, openBanking.trustAnchor) : undefined,
      },
    }, logger);
    const journey = consentJourney(db, sandboxAccounts, revokeGrant);
    const browser = browserApp({ provider, db, authenticator, loginThrottle, consentJourney: journey, csrfSecret, accounts: sandboxAccounts, dashboardSessionSecret, revokeGrant, logger, trustedProxies, clientCertHeader: config.proxy.clientCertHeader, registration });
    const partner = partnerApp({ provider, db, trustedProxies, clientCertHeader: config.proxy.clientCertHeader, registration, consentApi, logger });
    return { provider, browser: browser.callback(), partner: partner.callback() };
  };
  let handlers = await buildHandlers(jwks);

  const browserServer = createListener(browserTlsOptions(pki.server), (req, res) => handlers.browser(req, res), { limits: config.listeners, familyOf: browserErrorFamily, logger });
  const partnerServer = createListener(partnerTlsOptions(pki.server, pki.trustAnchors), (req, res) => handlers.partner(req, res), { limits: config.listeners, familyOf: partnerErrorFamily, logger });
  // A connection keeps the client certificate of its handshake (RFC 8705 binds tokens to it, and
  // the mTLS hooks read it once per connection): a TLS 1.2 renegotiation could present another.
  partnerServer.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
  const browserPort = await listen(browserServer, config.httpsPort, config.host);
  const partnerPort = await listen(partnerServer, config.mtlsPort, config.host);
  const stopSweeper = startSweeper(db, { intervalSeconds: config.sweepInterval, batchSize: config.sweepBatchSize, onError: (error) => logger.error({ err: error }, 'sweeper.error') });
  const stopKeyWatch = watchSigningKeys(db, jwks, {
    intervalSeconds: SIGNING_KEY_POLL_SECONDS,
    graceSeconds: config.retiredKeyGrace,
    keyEncryptionKey: secrets.keyEncryptionKey,
    onChange: async (next) => {
      handlers = await buildHandlers(next);
      logger.info({ kids: next.keys.map((key) => key.kid) }, 'signing_keys.reloaded');
    },
    onError: (error) => logger.error({ err: error }, 'signing_keys.reload_error'),
  });

  return {
    /** The provider serving requests now; a key rotation replaces it. */
    get provider() {
      return handlers.provider;
    },
    db,
    secrets,
    trustAnchors: pki.trustAnchors,
    urls: { browser: `https://localhost:${browserPort}`, partner: `https://localhost:${partnerPort}` },
    async close() {
      await stopKeyWatch();
      await stopSweeper();
      for (const server of [browserServer, partnerServer]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      if (relaxedDb !== db) await relaxedDb.destroy();
      if (!options.db) await db.destroy();
    },
  };
}
