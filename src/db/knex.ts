import { mkdirSync } from 'node:fs';

import knexFactory, { type Knex } from 'knex';
import ClientPGLite from 'knex-pglite';

export type { Knex };

/** Where the store lives: a PostgreSQL server, or an embedded PGlite folder (`memory://` for tests). */
export type StoreLocation = { databaseUrl: string } | { pgliteDir: string };

/**
 * Opens the store. PGlite speaks the same SQL dialect and runs the same migrations, but over a
 * single connection: code must never await a query outside a transaction it holds open.
 */
export function openStore(location: StoreLocation): Knex {
  if ('databaseUrl' in location) {
    return knexFactory({ client: 'pg', connection: location.databaseUrl, pool: { min: 0, max: 10 } });
  }
  if (!location.pgliteDir.startsWith('memory://')) mkdirSync(location.pgliteDir, { recursive: true });
  return knexFactory({ client: ClientPGLite, connection: { filename: location.pgliteDir } as Knex.StaticConnectionConfig });
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
