import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { test } from 'node:test';

import { createLogger } from '../../src/observability/logger.ts';
import { startPortcullis } from '../../src/server/start.ts';
import { testConfig } from '../helpers/portcullis.ts';
import { openTestStore } from '../helpers/store.ts';

/*
 * A start that fails half way (a port someone else holds) leaves nothing behind: the listeners it
 * had opened are closed again and its reloads stopped, so a supervisor can try again in the same
 * process, and a test that fails to start does not keep its process alive.
 */

function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

test('a port already taken fails the start with EADDRINUSE, and every listener opened before it is closed again', async () => {
  const { workDir, config } = await testConfig();
  // The admin listener opens last: the three before it have bound their ports when it fails.
  const taken = await occupy(config.adminPort);
  const db = await openTestStore();
  try {
    await assert.rejects(startPortcullis(config, createLogger('silent', false), { db }), { code: 'EADDRINUSE' });
    for (const port of [config.httpsPort, config.mtlsPort, config.gatewayPort]) assert.ok(await bindable(port), `port ${port} is free again`);
    // The store is still the caller's, and usable: nothing closed it under them.
    await db.raw('select 1');
  } finally {
    taken.close();
    await db.destroy();
    rmSync(workDir, { recursive: true, force: true });
  }
});
