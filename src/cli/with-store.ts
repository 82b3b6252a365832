import { openStore, type Knex } from '../db/knex.ts';
import { describeStoreLocation, storeLocationFor } from '../db/store-location.ts';
import { announceEventsToOtherInstances } from '../events/cross-instance-bridge.ts';
import { CommandFailed, type CliContext } from './command.ts';

// PostgreSQL's undefined_table: the store exists but has not been migrated (this far).
const UNDEFINED_TABLE = '42P01';

/**
 * Runs `work` against the store `npm start` would open under the same configuration (DATABASE_URL,
 * or PGlite under DATA_DIR), and closes it afterwards whatever happens. What the work announces on
 * `events` reaches the running instances on PostgreSQL (LISTEN/NOTIFY), as the admin API's changes
 * do, before the store closes: a revoked consent or an applied gateway file takes effect
 * everywhere within a second. A missing table means the store was never migrated, and says so.
 */
export async function withStore<T>({ config, events }: Pick<CliContext, 'config' | 'events'>, work: (db: Knex) => Promise<T>): Promise<T> {
  const db = openStore(storeLocationFor(config));
  const announcer = announceEventsToOtherInstances(db, events);
  try {
    return await work(db);
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) {
      throw new CommandFailed(`${describeStoreLocation(config)} is not migrated: run \`npm run cli -- migrate\` first`, { cause: error });
    }
    throw error;
  } finally {
    await announcer.close();
    await db.destroy();
  }
}
