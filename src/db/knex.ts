import { mkdirSync } from 'node:fs';

import knexFactory, { type Knex } from 'knex';
import ClientPGLite from 'knex-pglite';
import type { ClientConfig } from 'pg';

import { defaults } from '../config/defaults.ts';

export type { Knex };

// Connections of the relaxed-commit pool: its statements are single-row writes that never wait on a fsync.
const RELAXED_POOL_SIZE = 4;

// Connections of the store's own pool.
const POOL_SIZE = 10;

/** What of pg's client this module reaches: its query method, and the socket under it. */
interface PgConnection {
  query: (...args: unknown[]) => unknown;
  connection?: { stream?: { destroy(): void } };
}

// pg's error for a reply that did not come within `query_timeout` (lib/client.js).
const READ_TIMEOUT = 'Query read timeout';

/**
 * A statement pg gave up on (`query_timeout`) leaves its connection waiting for the reply; in a
 * transaction, knex then sends ROLLBACK on that connection, which waits behind it for another
 * query timeout. Ending the socket at once fails the ROLLBACK at once (the server rolls back as the
 * connection goes), so a caller in a transaction gets its 503 after one timeout rather than two.
 */
function endOnReadTimeout(connection: PgConnection, done: (error: Error | null, connection: PgConnection) => void): void {
  const query = connection.query.bind(connection);
  connection.query = (...args: unknown[]) => {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: Error | null, ...rest: unknown[]) => {
        if (error?.message === READ_TIMEOUT) connection.connection?.stream?.destroy();
        callback(error, ...rest);
      };
    }
    return query(...args);
  };
  done(null, connection);
}

/**
 * A knex configuration for PostgreSQL at `url` that fails fast when the database is away and
 * recovers by itself when it is back (`defaults.store` says why each limit is what it is). knex
 * already drops a connection whose socket closed; `validate` also drops one whose statement timed
 * out unanswered (pg's `readyForQuery` stays false until the reply comes), whose next statement
 * would otherwise queue behind it, for good if its server is gone without a word.
 */
function postgresConfig(url: string, poolSize: number): Knex.Config {
  const { connectTimeout, acquireTimeout, statementTimeout, queryTimeout } = defaults.store;
  const connection: ClientConfig = {
    connectionString: url,
    connectionTimeoutMillis: connectTimeout * 1000,
    statement_timeout: statementTimeout * 1000,
    query_timeout: queryTimeout * 1000,
  };
  return {
    client: 'pg',
    connection: connection as Knex.StaticConnectionConfig,
    acquireConnectionTimeout: acquireTimeout * 1000,
    pool: { min: 0, max: poolSize, afterCreate: endOnReadTimeout, validate: (client: { readyForQuery?: boolean }) => client.readyForQuery === true },
  };
}

/** Where the store lives: a PostgreSQL server, or an embedded PGlite folder (`memory://` for tests). */
export type StoreLocation = { databaseUrl: string } | { pgliteDir: string };

/**
 * Opens the store. PGlite speaks the same SQL dialect and runs the same migrations, but over a
 * single connection: code must never await a query outside a transaction it holds open.
 */
export function openStore(location: StoreLocation): Knex {
  if ('databaseUrl' in location) {
    return knexFactory(postgresConfig(location.databaseUrl, POOL_SIZE));
  }
  if (!location.pgliteDir.startsWith('memory://')) mkdirSync(location.pgliteDir, { recursive: true });
  return knexFactory({ client: ClientPGLite, connection: { filename: location.pgliteDir } as Knex.StaticConnectionConfig });
}

/** Whether the store is embedded PGlite, which runs its queries in this process's own thread. */
export function isEmbeddedStore(db: Knex): boolean {
  return db.client instanceof ClientPGLite;
}

/**
 * Opens a second, small pool on the same PostgreSQL database whose transactions commit without
 * waiting for the WAL to reach disk (`synchronous_commit = off`). Only for rows whose loss in a
 * database crash is harmless: PostgreSQL still applies them in order and never half-applies one,
 * but the last few hundred milliseconds of them may be gone after a crash. On PGlite (one
 * connection, in this process) the store itself is returned.
 */
export function openRelaxedCommitStore(location: StoreLocation, db: Knex): Knex {
  if (!('databaseUrl' in location)) return db;
  const url = new URL(location.databaseUrl);
  // Appended to any options the URL already carries (a search_path, say), not replacing them.
  url.searchParams.set('options', [url.searchParams.get('options'), '-c synchronous_commit=off'].filter(Boolean).join(' '));
  return knexFactory(postgresConfig(url.href, RELAXED_POOL_SIZE));
}

/** True when the store answers a trivial query; what `/readyz` reports. */
export async function storeIsReachable(db: Knex): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}
