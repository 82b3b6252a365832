import type { Knex } from 'knex';

import type { Clock } from '../../src/shared/clock.ts';
import { lockBankForSeeding } from './ledger.store.ts';
import { migrateSandboxBank } from './migrate-sandbox-bank.ts';
import { seedSandboxBank, type SeedOutcome } from './seed-bank.ts';

/** The bank a sandbox starts with: the story customers and a few generated ones, the same on every machine. */
export const DEFAULT_BANK = { seed: 'portcullis-sandbox', customers: 16 } as const;

/**
 * Migrates the sandbox ledger and seeds the default bank if the store has none, as of the day it
 * first starts (`npm run sandbox -- seed` builds other banks). Under the seeding lock, in one
 * transaction: a second instance starting on the same store waits, then finds the bank there.
 */
export async function ensureDefaultBank(db: Knex, clock: Clock): Promise<SeedOutcome> {
  await migrateSandboxBank(db);
  return db.transaction(async (trx) => {
    await lockBankForSeeding(trx);
    return seedSandboxBank(trx, { ...DEFAULT_BANK, asOf: clock.now().toISOString().slice(0, 10), replace: false });
  });
}
