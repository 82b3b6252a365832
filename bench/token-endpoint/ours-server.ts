import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import type { ClientMetadata } from 'oidc-provider';

import { registerClient } from '../../src/auth/clients/register-client.ts';
import { ROUTES } from '../../src/auth/provider/routes.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startPortcullis } from '../../src/server/start.ts';
import { serveParent, type QueryTally } from './server-protocol.ts';
import { freePort } from '../../test/helpers/free-port.ts';

/*
 * Ours: the real product, started the way `src/main.ts` starts it (a config from `loadConfig`, the
 * store opened and migrated by `startPortcullis`), on PostgreSQL. argv: work folder, database URL;
 * `--count-queries` to tally SQL statements, `--redis-url URL` to run with `REDIS_URL` (the replay
 * claims in Redis).
 */

const { positionals: [workDir, databaseUrl], values: { 'count-queries': countQueries, 'redis-url': redisUrl } } = parseArgs({
  allowPositionals: true,
  options: { 'count-queries': { type: 'boolean', default: false }, 'redis-url': { type: 'string' } },
});
if (!workDir || !databaseUrl) throw new Error('usage: ours-server.ts <work dir> <database url> [--count-queries] [--redis-url URL]');

const config = loadConfig({
  NODE_ENV: 'development',
  LOG_LEVEL: 'error',
  HOST: '127.0.0.1',
  HTTPS_PORT: String(await freePort()),
  MTLS_PORT: String(await freePort()),
  DATA_DIR: `${workDir}/data`,
  CERTS_DIR: `${workDir}/certs`,
  DATABASE_URL: databaseUrl,
  KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  COOKIE_KEYS: randomBytes(32).toString('base64url'),
  DPOP_NONCE_SECRET: randomBytes(32).toString('base64url'),
  ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
});
const portcullis = await startPortcullis(config, createLogger(config.logLevel, false));

let tally: QueryTally | undefined;
if (countQueries) {
  const statements: QueryTally['statements'] = {};
  const started = new Map<string, number>();
  tally = { statements };
  portcullis.db.on('query', (query: { __knexQueryUid: string; sql: string }) => {
    started.set(query.__knexQueryUid, performance.now());
    (statements[query.sql] ??= { count: 0, totalMs: 0 }).count += 1;
  });
  portcullis.db.on('query-response', (_response: unknown, query: { __knexQueryUid: string; sql: string }) => {
    const at = started.get(query.__knexQueryUid);
    started.delete(query.__knexQueryUid);
    if (at !== undefined) statements[query.sql]!.totalMs += performance.now() - at;
  });
}

serveParent(
  { type: 'ready', tokenUrl: `${portcullis.urls.partner}${ROUTES.token}`, issuer: config.issuer },
  {
    async register(clients: ClientMetadata[]) {
      for (const client of clients) await registerClient(portcullis.provider, client);
    },
    queries() {
      if (!tally) return undefined;
      const snapshot = structuredClone(tally);
      for (const entry of Object.values(tally.statements)) Object.assign(entry, { count: 0, totalMs: 0 });
      return snapshot;
    },
    stop: () => portcullis.close(),
  },
);
