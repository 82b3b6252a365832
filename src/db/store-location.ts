import type { Config } from '../config/config.ts';
import type { StoreLocation } from './knex.ts';

/** The store a configuration names: PostgreSQL at `DATABASE_URL`, else PGlite under `DATA_DIR`. */
export function storeLocationFor(config: Config): StoreLocation {
  return config.databaseUrl ? { databaseUrl: config.databaseUrl } : { pgliteDir: `${config.dataDir}/pglite` };
}

/** The same, in words for people (start-up summary, CLI messages); never the connection string. */
export function describeStoreLocation(config: Config): string {
  const location = storeLocationFor(config);
  return 'databaseUrl' in location ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${location.pgliteDir}`;
}
