import { auditDomainEvents } from '../audit/audit-domain-events.ts';
import { createAuditLog } from '../audit/audit-log.ts';
import { defaults } from '../config/defaults.ts';
import { openStore, type Knex } from '../db/knex.ts';
import { describeStoreLocation, storeLocationFor } from '../db/store-location.ts';
import { announceEventsToOtherInstances } from '../events/cross-instance-bridge.ts';
import { AUDITED_EVENTS } from '../events/event-catalogue.ts';
import { createCliLogger } from '../observability/logger.ts';
import { CommandFailed, type CliContext } from './command.ts';

// PostgreSQL's undefined_table: the store exists but has not been migrated (this far).
const UNDEFINED_TABLE = '42P01';

/**
 * Runs `work` against the store `npm start` would open under the same configuration (DATABASE_URL,
 * or PGlite under DATA_DIR), and closes it afterwards whatever happens. What the work announces on
 * `events` reaches the running instances on PostgreSQL (LISTEN/NOTIFY), as the admin API's changes
 * do, before the store closes: a revoked consent or an applied gateway file takes effect
 * everywhere within a second. Its changes go into the audit log as the server's do (running
 * instances leave events from elsewhere to whoever made them), written before the command ends.
 * A missing table means the store was never migrated, and says so.
 */
export async function withStore<T>({ config, events, clock }: Pick<CliContext, 'config' | 'events' | 'clock'>, work: (db: Knex) => Promise<T>): Promise<T> {
  const db = openStore(storeLocationFor(config));
  const announcer = announceEventsToOtherInstances(db, events);
  const logger = createCliLogger();
  const audit = createAuditLog({ db, clock, logger, batchSize: defaults.audit.batchSize, flushIntervalMs: defaults.audit.flushInterval * 1000, queueLimit: defaults.audit.queueLimit });
  const stopAuditing = auditDomainEvents(events, audit, AUDITED_EVENTS);
  try {
    return await work(db);
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) {
      throw new CommandFailed(`${describeStoreLocation(config)} is not migrated: run \`npm run cli -- migrate\` first`, { cause: error });
    }
    throw error;
  } finally {
    stopAuditing();
    // An entry that cannot be written is logged whole (audit.unwritten) rather than lost silently.
    await audit.close().catch((error: unknown) => logger.error({ err: error }, 'audit.lost_on_close'));
    await announcer.close();
    await db.destroy();
  }
}
