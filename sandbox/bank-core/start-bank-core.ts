import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import Koa from 'koa';
import type { Knex } from 'knex';

import type { Logger } from '../../src/observability/logger.ts';
import { checkFapiHeaders } from '../../src/openbanking/http/check-fapi-headers.ts';
import { requireJsonAccept } from '../../src/openbanking/http/require-json-accept.ts';
import { renderObErrors } from '../../src/openbanking/ob-error-response.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { fapiInteractionId } from '../../src/shared/fapi-interaction-id.ts';
import { noStore } from '../../src/shared/no-store.ts';
import { authenticateGateway } from './authenticate-gateway.ts';
import { bankCoreRoutes } from './bank-core.routes.ts';
import './bank-core-state.ts';

export interface BankCoreOptions {
  /** The store holding the sandbox bank's ledger (its migrations applied). */
  db: Knex;
  /** The gateway's public keys (its JWKS), or a jose key getter over them: who may call. */
  identityKeys: JSONWebKeySet | JWTVerifyGetKey;
  /** The gateway's issuer identifier, as its caller identities name it. */
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
  /** Where it listens (`http://127.0.0.1:<port>`): the gateway's upstream URL, and the audience of the identities it accepts. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the sandbox bank's core: the Read/Write API v3.1.11 account information, domestic
 * payments and funds confirmation resources over the sandbox ledger, behind the gateway, which
 * alone it answers (`authenticateGateway`). Errors are OBErrorResponse1, every answer echoes the
 * x-fapi-interaction-id and is not to be cached.
 */
export async function startBankCore(options: BankCoreOptions): Promise<BankCore> {
  const server = createServer();
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { address, port, family } = server.address() as AddressInfo;
  const url = `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
  const app = new Koa();
  app.silent = true;
  app.use(fapiInteractionId);
  app.use(noStore);
  app.use(renderObErrors(options.logger, 'bank_core.error'));
  app.use(authenticateGateway({ identityKeys: options.identityKeys, issuer: options.issuer, audience: url, clock: options.clock }));
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
