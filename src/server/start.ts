import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

import type { Knex } from 'knex';
import type Provider from 'oidc-provider';

import { startSweeper } from '../auth/adapter/expiry-sweeper.ts';
import type { SigningJwks } from '../auth/keys/signing-keys.service.ts';
import { SIGNING_KEY_POLL_SECONDS, watchSigningKeys } from '../auth/keys/watch-signing-keys.ts';
import type { Config, RoleName, Secrets } from '../config/config.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Logger } from '../observability/logger.ts';
import { createListener } from './create-listener.ts';
import { browserErrorFamily, partnerErrorFamily } from './error-family.ts';
import { listenerApp } from './listener-app.ts';
import { ROLES } from './roles.ts';
import type { RoleRoutes } from './roles/role.ts';
import { buildServerContext } from './server-context.ts';
import { browserTlsOptions, partnerTlsOptions } from './tls-options.ts';

export interface Portcullis {
  /** The provider serving requests now; a key rotation replaces it. */
  readonly provider: Provider;
  db: Knex;
  /** The bus this instance's domain events travel on. */
  events: EventBus;
  secrets: Secrets;
  /** The roles this process runs. */
  roles: readonly RoleName[];
  /** Base URLs the listeners actually bound to; a listener no role uses is not started. */
  urls: { browser?: string; partner?: string };
  /** PEM trust anchors for client certificates (the dev CA unless configured). */
  trustAnchors: string[];
  /** What the bank integration wants the start-up summary to say (a sandbox's test logins). */
  bankSummary: string[];
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the roles `ROLES` names: the shared context once (store and migrations, PKI, bank
 * integration, signing keys), then each role's routes on the listeners it uses. Tests call this
 * with their own config and store, exactly as `main.ts` does.
 */
export async function startPortcullis(config: Config, logger: Logger, options: { db?: Knex } = {}): Promise<Portcullis> {
  const context = await buildServerContext(config, logger, options);
  const roles = ROLES.filter(([name]) => config.roles.includes(name));

  // oidc-provider fixes its keystore when it is built, so a key rotation builds the provider and
  // every role's routes afresh and swaps the listeners' handlers; requests in flight finish where they began.
  const buildHandlers = async (jwks: SigningJwks) => {
    const provider = context.buildProvider(jwks);
    const routes: RoleRoutes[] = await Promise.all(roles.map(([, role]) => role(context, { provider, jwks })));
    const app = (publicUrl: string, pages: boolean, which: keyof RoleRoutes) => listenerApp({
      publicUrl, pages, db: context.db, trustedProxies: context.trustedProxies, clientCertHeader: config.proxy.clientCertHeader, logger,
      errorFamily: pages ? browserErrorFamily : partnerErrorFamily, routes: routes.flatMap((role) => role[which] ?? []),
    }).callback();
    return { provider, browser: app(config.issuer, true, 'browser'), partner: app(config.mtlsBaseUrl, false, 'partner'), uses: { browser: routes.some((role) => role.browser), partner: routes.some((role) => role.partner) } };
  };
  let handlers = await buildHandlers(context.initialJwks);

  const servers: Server[] = [];
  const urls: Portcullis['urls'] = {};
  if (handlers.uses.browser) {
    const browserServer = createListener(browserTlsOptions(context.pki.server), (req, res) => handlers.browser(req, res), { limits: config.listeners, familyOf: browserErrorFamily, logger });
    servers.push(browserServer);
    urls.browser = `https://localhost:${await listen(browserServer, config.httpsPort, config.host)}`;
  }
  if (handlers.uses.partner) {
    const partnerServer = createListener(partnerTlsOptions(context.pki.server, context.pki.trustAnchors), (req, res) => handlers.partner(req, res), { limits: config.listeners, familyOf: partnerErrorFamily, logger });
    // A connection keeps the client certificate of its handshake (RFC 8705 binds tokens to it, and
    // the mTLS hooks read it once per connection): a TLS 1.2 renegotiation could present another.
    partnerServer.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
    servers.push(partnerServer);
    urls.partner = `https://localhost:${await listen(partnerServer, config.mtlsPort, config.host)}`;
  }
  const stopSweeper = startSweeper(context.db, { intervalSeconds: config.sweepInterval, batchSize: config.sweepBatchSize, onError: (error) => logger.error({ err: error }, 'sweeper.error') });
  const stopKeyWatch = watchSigningKeys(context.db, context.initialJwks, {
    intervalSeconds: SIGNING_KEY_POLL_SECONDS,
    graceSeconds: config.retiredKeyGrace,
    keyEncryptionKey: context.secrets.keyEncryptionKey,
    onChange: async (next) => {
      handlers = await buildHandlers(next);
      const kids = next.keys.map((key) => key.kid!);
      logger.info({ kids }, 'signing_keys.reloaded');
      context.events.emit('signing_keys.reloaded', { kids });
    },
    onError: (error) => logger.error({ err: error }, 'signing_keys.reload_error'),
  });

  return {
    get provider() {
      return handlers.provider;
    },
    db: context.db,
    events: context.events,
    secrets: context.secrets,
    roles: config.roles,
    urls,
    trustAnchors: context.pki.trustAnchors,
    bankSummary: context.bank.summary ?? [],
    async close() {
      await stopKeyWatch();
      await stopSweeper();
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await context.close();
    },
  };
}
