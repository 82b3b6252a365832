import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';

import { ConfigError } from '../../src/config/config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startPortcullis } from '../../src/server/start.ts';
import { testConfig } from '../helpers/portcullis.ts';
import { openTestStore } from '../helpers/store.ts';

/*
 * A start that fails half way (a port someone else holds, a bank integration's bad gateway APIs)
 * leaves nothing behind: the listeners, pools, Redis clients and timers it had opened are closed
 * again, so a supervisor can try again in the same process, and a test that fails to start does
 * not keep its process alive.
 */

function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Whether a listener of this instance still answers on `port`: a TLS server whose certificate its
 * own development CA signed. Asking whether the port can be bound instead would race the other
 * test files, whose servers pick free ports at the same time and may hold this one by now.
 */
function stillOurs(port: number, caPem: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', ca: caPem, servername: 'localhost' }, () => {
      resolve(socket.authorized);
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
  });
}

test('a port already taken fails the start with EADDRINUSE, and every listener opened before it is closed again', async () => {
  const { workDir, config } = await testConfig();
  // The admin listener opens last: the three before it have bound their ports when it fails.
  const taken = await occupy(config.adminPort);
  const db = await openTestStore();
  try {
    await assert.rejects(startPortcullis(config, createLogger('silent', false), { db }), { code: 'EADDRINUSE' });
    const caPem = readFileSync(join(config.certsDir, 'dev-ca.pem'), 'utf8');
    for (const port of [config.httpsPort, config.mtlsPort, config.gatewayPort]) assert.equal(await stillOurs(port, caPem), false, `port ${port} is closed again`);
    // The store is still the caller's, and usable: nothing closed it under them.
    await db.raw('select 1');
  } finally {
    taken.close();
    await db.destroy();
    rmSync(workDir, { recursive: true, force: true });
  }
});

/** What keeps this process alive now, by kind (sockets, servers, timers), as Node counts it. */
function keptAlive(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

test('a start that fails in the shared context closes the store, the Redis clients and the timers it had opened', async () => {
  // On PostgreSQL the instance opens its own pools (the store and the relaxed-commit one); PGlite
  // cannot be shared between processes, so there it is handed the test store, closed afterwards.
  const databaseUrl = process.env.DATABASE_URL;
  const { workDir, config } = await testConfig({
    REDIS_URL: 'redis://127.0.0.1:6379/5',
    BANK_INTEGRATION: fileURLToPath(new URL('./invalid-apis-bank.ts', import.meta.url)),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  // Sockets close on the loop's next turns (here the ones that found free ports).
  await delay(100);
  const aliveBefore = keptAlive();
  const db = databaseUrl ? undefined : await openTestStore();
  try {
    await assert.rejects(startPortcullis(config, createLogger('silent', false), db ? { db } : {}), (error) => error instanceof ConfigError && /gatewayApis are not a valid gateway file/.test(error.message));
  } finally {
    await db?.destroy();
    rmSync(workDir, { recursive: true, force: true });
  }
  await delay(100);
  assert.deepEqual(keptAlive(), aliveBefore);
});
