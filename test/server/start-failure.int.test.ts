import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect } from 'node:tls';

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
