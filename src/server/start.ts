import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

import type { Knex } from 'knex';
import type Provider from 'oidc-provider';

import { startSweeper } from '../auth/adapter/expiry-sweeper.ts';
import type { SigningJwks } from '../auth/keys/signing-keys.service.ts';
import { SIGNING_KEY_POLL_SECONDS, watchSigningKeys } from '../auth/keys/watch-signing-keys.ts';
import { ensureDevOperator } from '../admin/operators/ensure-dev-operator.ts';
import type { Config, RoleName, Secrets } from '../config/config.ts';
import { devConsolePassword } from '../config/dev-secrets.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Logger } from '../observability/logger.ts';
import { createListener } from './create-listener.ts';
import { listenerApp } from './listener-app.ts';
import { listenerDrain } from './listener-drain.ts';
import { listenerTable } from './listener-table.ts';
import { ROLES } from './roles.ts';
import type { RoleRoutes } from './roles/role.ts';
import { buildServerContext } from './server-context.ts';

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
  urls: Partial<Record<keyof RoleRoutes, string>>;
  /** PEM trust anchors for client certificates (the dev CA unless configured). */
  trustAnchors: string[];
  /** What the bank integration wants the start-up summary to say (a sandbox's test logins). */
  bankSummary: string[];
  /** In development with the console role: the console admin to sign in with. */
  devOperator?: { email: string; password: string };
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
  // A start that fails midway (a role, a port already taken) closes what it opened, in the reverse order.
  await using opened = new AsyncDisposableStack();
  const context = await buildServerContext(config, logger, options);
  opened.defer(() => context.close());
  const roles = ROLES.filter(([name]) => config.roles.includes(name));
  const devOperator = config.env === 'development' && config.roles.includes('console')
    ? await ensureDevOperator({ db: context.db, events: context.events, clock: context.clock }, devConsolePassword(config))
    : undefined;

  const listeners = listenerTable(config, context.pki, context.bank.sandboxRoutes?.prefix);
  const drain = listenerDrain();

  // oidc-provider fixes its keystore when it is built, so a key rotation builds the provider and
  // every role's routes afresh and swaps the listeners' handlers; requests in flight finish where they began.
  const buildHandlers = async (jwks: SigningJwks) => {
    const provider = context.buildProvider(jwks);
    const routes: RoleRoutes[] = await Promise.all(roles.map(([, role]) => role(context, { provider, jwks })));
    const apps = new Map(listeners.map((listener) => [listener.name, {
      used: routes.some((role) => role[listener.name]),
      handle: listenerApp({
        publicUrl: listener.publicUrl, pages: listener.pages, db: context.db, isDraining: () => drain.draining, trustedProxies: context.trustedProxies, clientCertHeader: config.proxy.clientCertHeader, logger,
        errorFamily: listener.familyOf, inspectInput: listener.inspectInput, routes: routes.flatMap((role) => role[listener.name] ?? []),
      }).callback(),
    }]));
    return { provider, apps };
  };
  let handlers = await buildHandlers(context.initialJwks);

  const servers: Server[] = [];
  opened.defer(async () => {
    for (const server of servers.filter((listening) => listening.listening)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  const urls: Portcullis['urls'] = {};
  for (const listener of listeners) {
    if (!handlers.apps.get(listener.name)?.used) continue;
    const server = createListener(listener.tls, drain.track((req, res) => handlers.apps.get(listener.name)!.handle(req, res)), { limits: config.listeners, familyOf: listener.familyOf, logger });
    // A connection keeps the client certificate of its handshake (RFC 8705 binds tokens to it, and
    // the mTLS hooks read it once per connection): a TLS 1.2 renegotiation could present another.
    if (listener.name === 'partner') server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
    servers.push(server);
    urls[listener.name] = `https://localhost:${await listen(server, listener.port, listener.host)}`;
  }
  opened.defer(startSweeper(context.db, { intervalSeconds: config.sweepInterval, batchSize: config.sweepBatchSize, onError: (error) => logger.error({ err: error }, 'sweeper.error') }));
  opened.defer(watchSigningKeys(context.db, context.initialJwks, {
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
  }));
  const owned = opened.move();

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
    ...(devOperator ? { devOperator } : {}),
    async close() {
      // Answers in flight finish first: what they record reaches the analytics and the audit log before their flushes.
      const { cut } = await drain.drain(servers, config.shutdown);
      if (cut) logger.warn({ cut, timeout: config.shutdown.timeout }, 'shutdown.requests_cut');
      // Then the key watch, the sweeper and the shared context, in the reverse of their start.
      await owned.disposeAsync();
    },
  };
}
