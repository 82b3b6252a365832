import { createServer, type Socket } from 'node:net';

import { openStore } from '../../src/db/knex.ts';
import { freePort } from './free-port.ts';

/**
 * Databases that cannot serve, for tests that need a real driver failure on either store: no
 * PostgreSQL server is involved, so these run on PGlite as well.
 */

/** A PostgreSQL URL on a loopback port nothing listens on: every connection is refused. */
export async function refusedDatabaseUrl(): Promise<string> {
  return `postgres://portcullis@127.0.0.1:${await freePort()}/nowhere`;
}

/** A server that accepts connections and never says a word: a database behind a black hole. */
export async function silentDatabase(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `postgres://portcullis@127.0.0.1:${port}/nowhere`,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/**
 * A server that accepts connections and closes each at once, counting them: a database that is
 * going down. A store call on it fails at once, after exactly one connection attempt.
 */
export async function closingDatabase(): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `postgres://portcullis@127.0.0.1:${port}/nowhere`,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What a real store (knex over pg) throws when the database refuses connections. */
export async function refusedStoreError(): Promise<unknown> {
  const db = openStore({ databaseUrl: await refusedDatabaseUrl() });
  try {
    await db.raw('select 1');
  } catch (error) {
    return error;
  } finally {
    await db.destroy();
  }
  throw new Error('a database nobody listens for answered');
}
