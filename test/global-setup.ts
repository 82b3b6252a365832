import { openStore } from '../src/db/knex.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createLogger } from '../src/observability/logger.ts';
import { systemClock } from '../src/shared/clock.ts';
import { ensureDefaultBank } from '../sandbox/bank/default-bank.ts';
import { preparePgliteTemplate } from './helpers/pglite-template.ts';

let removePgliteTemplate: (() => void) | undefined;

/**
 * Migrates the store once, before any test file runs: the shared PostgreSQL test database (and
 * seeds its sandbox bank), or the PGlite template each test file's private databases are copied from.
 */
export async function globalSetup(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  console.log(`# store under test: ${databaseUrl ? `PostgreSQL (${new URL(databaseUrl).pathname.slice(1)})` : 'PGlite (in memory, private copies of one migrated template)'}`);
  if (!databaseUrl) {
    removePgliteTemplate = await preparePgliteTemplate();
    return;
  }
  const db = openStore({ databaseUrl });
  try {
    await migrateToLatest(db);
    // Keys left by an earlier run were sealed under another key-encryption key; the suite's own
    // fixed key makes fresh ones on first start.
    await db('signing_keys').delete();
    // The sandbox bank every test server uses, seeded once here rather than by whichever server starts first.
    await ensureDefaultBank(db, systemClock, createLogger('warn', false));
  } finally {
    await db.destroy();
  }
}

export function globalTeardown(): void {
  removePgliteTemplate?.();
}
