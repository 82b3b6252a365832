import type { BankUnit } from './bank-unit.ts';
import { generatedCustomer } from './generated-customer.ts';
import { windowOf } from './schedule.ts';
import { storyUnits } from './story-customers.ts';

/** What makes a bank: the same three give the same bank, byte for byte. */
export interface BankSpec {
  /** Any text. */
  seed: string;
  /** Generated customers (`customer-1` …), besides the story customers every bank has. */
  customers: number;
  /** The day the bank stands at (YYYY-MM-DD, UTC): its year of history ends at that midnight. */
  asOf: string;
}

/**
 * The bank, one unit (a customer, or a joint account's two) at a time, story customers first:
 * only the unit being written is in memory, so a bank of any size streams into the store.
 *
 * @example
 * for (const unit of generateBank({ seed: 'demo', customers: 100, asOf: '2026-12-01' })) write(unit);
 */
export function* generateBank(spec: BankSpec): Generator<BankUnit> {
  const window = windowOf(spec.asOf);
  yield* storyUnits(spec.seed, window);
  for (let n = 1; n <= spec.customers; n++) yield generatedCustomer(spec.seed, n, window);
}
