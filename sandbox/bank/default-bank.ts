import type { Knex } from 'knex';

import type { Logger } from '../../src/observability/logger.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { ledgerHasCustomers, lockBankForSeeding, findBankRecord, type BankRecord } from './ledger.store.ts';
import { migrateSandboxBank } from './migrate-sandbox-bank.ts';
import { insertStoryLogins, seedSandboxBank } from './seed-bank.ts';

/** The bank a sandbox starts with: the story customers and a few generated ones, the same on every machine. */
export const DEFAULT_BANK = { seed: 'portcullis-sandbox', customers: 16 } as const;

/**
 * Migrates the sandbox ledger and seeds the default bank if the store has none, as of the day it
 * first starts (`npm run sandbox -- seed` builds other banks). Under the seeding lock, in one
 * transaction: a second instance starting on the same store waits, then finds the bank there.
 * A ledger written by other means (a test's fixture, a half-finished seed) is left as it is, with
 * a warning and the story customers' logins: a start never replaces data. Resolves the bank's record, if it has one.
 */
export async function ensureDefaultBank(db: Knex, clock: Clock, logger: Logger): Promise<BankRecord | undefined> {
  await migrateSandboxBank(db);
  return db.transaction(async (trx) => {
    await lockBankForSeeding(trx);
    const existing = await findBankRecord(trx);
    if (existing) return existing;
    if (await ledgerHasCustomers(trx)) {
      logger.warn('sandbox_bank.unrecorded: the sandbox ledger has customers but no record of a seed; left as it is, with the story customers\' logins (npm run sandbox -- seed --replace rebuilds it)');
      await insertStoryLogins(trx);
      return undefined;
    }
    const { record } = await seedSandboxBank(trx, { ...DEFAULT_BANK, asOf: clock.now().toISOString().slice(0, 10), replace: false });
    logger.info({ seed: record.seed, customers: record.customers, asOf: record.asOf }, 'sandbox_bank.seeded');
    return record;
  });
}
