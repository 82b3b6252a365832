import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import Koa from 'koa';
import type { Knex } from 'knex';

import type { Logger } from '../../src/observability/logger.ts';
import { problemTypeBase } from '../../src/server/error-family.ts';
import { checkFapiHeaders } from '../../src/openbanking/http/check-fapi-headers.ts';
import { requireJsonAccept } from '../../src/openbanking/http/require-json-accept.ts';
import { renderObErrors } from '../../src/openbanking/ob-error-response.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { fapiInteractionId } from '../../src/shared/fapi-interaction-id.ts';
import { noStore } from '../../src/shared/no-store.ts';
import { authenticateGateway, refuseAsObError } from './authenticate-gateway.ts';
import { bankCoreRoutes } from './bank-core.routes.ts';
import { FX_PREFIX, fxRoutes } from './fx/fx.routes.ts';
import './bank-core-state.ts';

export interface BankCoreOptions {
  /** The store holding the sandbox bank's ledger (its migrations applied). */
  db: Knex;
  /** The gateway's public keys (its JWKS), or a jose key getter over them: who may call. */
  identityKeys: JSONWebKeySet | JWTVerifyGetKey;
  /** The gateway's issuer identifier, as its caller identities name it; the exchange rates API's problem types are documented under it. */
  issuer: string;
  clock: Clock;
  logger: Logger;
  /** Loopback by default: only the gateway on this machine calls it. */
  host?: string;
  /** 0 (default): a free port, chosen by the system. */
  port?: number;
  /** How long the SANDBOX-SLOW scenario waits before answering, in milliseconds; default 3000. */
  slowAnswerMs?: number;
}

export interface BankCore {
  /**
   * Where it listens (`http://127.0.0.1:<port>`): the Open Banking APIs' upstream URL, and the
   * audience of the identities they accept; the exchange rates API's is this plus `FX_PREFIX`.
   */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the sandbox bank's core: the Read/Write API v3.1.11 account information, domestic
 * payments and funds confirmation resources over the sandbox ledger, and under `/fx` the exchange
 * rates API, behind the gateway, which alone it answers (`authenticateGateway`, for each API's own
 * URL). Open Banking errors are OBErrorResponse1, and those answers echo the x-fapi-interaction-id;
 * the exchange rates API answers problem details. Nothing is to be cached.
 */
export async function startBankCore(options: BankCoreOptions): Promise<BankCore> {
  const server = createServer();
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { address, port, family } = server.address() as AddressInfo;
  const url = `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
  const trust = (audience: string) => ({ identityKeys: options.identityKeys, issuer: options.issuer, audience, clock: options.clock });
  const app = new Koa();
  app.silent = true;
  app.use(noStore);
  app.use(fxRoutes({ trust: trust(`${url}${FX_PREFIX}`), clock: options.clock, logger: options.logger, problemTypeBase: problemTypeBase(options.issuer) }));
  app.use(fapiInteractionId);
  app.use(renderObErrors(options.logger, 'bank_core.error'));
  app.use(authenticateGateway(trust(url), refuseAsObError));
  app.use(requireJsonAccept);
  app.use(checkFapiHeaders);
  app.use(bankCoreRoutes({ db: options.db, clock: options.clock, slowAnswerMs: options.slowAnswerMs ?? 3000 }));
  server.on('request', app.callback());
  return {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
