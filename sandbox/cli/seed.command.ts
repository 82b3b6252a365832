import { parseArgs } from 'node:util';

import { z } from 'zod';

import type { Config } from '../../src/config/config.ts';
import { openStore } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { describeStoreLocation, storeLocationFor } from '../../src/db/store-location.ts';
import { migrateSandboxBank } from '../bank/migrate-sandbox-bank.ts';
import { GENERATED_PASSWORD, seedSandboxBank } from '../bank/seed-bank.ts';
import { STORY_LOGINS } from '../bank/generate/story-customers.ts';
import { seedProgress, type SeedProgress } from './seed-progress.ts';
import { SandboxUsageError, type SandboxCommand } from './sandbox-command.ts';

const USAGE = 'usage: npm run sandbox -- seed [--customers N] [--seed TEXT] [--as-of YYYY-MM-DD] [--replace]';

// Up to 9,999,999 generated customers have distinct account numbers; a million is plenty.
const options = z.object({
  customers: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  seed: z.string().min(1).max(200).default('portcullis-sandbox'),
  'as-of': z.iso.date().optional(),
  replace: z.boolean().default(false),
});

function readOptions(args: string[]) {
  let values;
  try {
    ({ values } = parseArgs({ args, strict: true, allowPositionals: false, options: { customers: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' }, replace: { type: 'boolean' } } }));
  } catch (error) {
    throw new SandboxUsageError(`${(error as Error).message}\n${USAGE}`, { cause: error });
  }
  const parsed = options.safeParse(values);
  if (!parsed.success) throw new SandboxUsageError(`${parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n')}\n${USAGE}`);
  return parsed.data;
}

async function seed(config: Config, args: string[], out: (line: string) => void, note: (line: string) => void): Promise<void> {
  const { customers, seed, 'as-of': asOf = new Date().toISOString().slice(0, 10), replace } = readOptions(args);
  if (config.env === 'production') throw new Error('the sandbox bank is never seeded with NODE_ENV=production');
  const db = openStore(storeLocationFor(config));
  let progress: SeedProgress | undefined;
  try {
    await migrateToLatest(db);
    await migrateSandboxBank(db);
    progress = seedProgress(customers + STORY_LOGINS.length);
    const started = performance.now();
    const outcome = await seedSandboxBank(db, { seed, customers, asOf, replace, onProgress: (written) => progress?.update(written) });
    progress.stop();
    const { record } = outcome;
    if (!outcome.seeded) {
      note(`${describeStoreLocation(config)} has a sandbox bank already (seed "${record.seed}", ${record.customers} generated customers, as of ${record.asOf}): nothing done; add --replace to replace it.`);
      return;
    }
    out(`Seeded ${describeStoreLocation(config)}: seed "${record.seed}", ${STORY_LOGINS.length} story and ${record.customers} generated customers, as of ${record.asOf}, in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    out(`Generated customers sign in as customer-1 … customer-${record.customers} with the password ${GENERATED_PASSWORD}.`);
  } finally {
    progress?.stop();
    await db.destroy();
  }
}

export const seedCommand: SandboxCommand = {
  name: 'seed',
  summary: 'Generate the sandbox bank into the store (10,000 customers by default), unless one is there.',
  usage: USAGE,
  run: ({ config, args, print, note }) => seed(config, args, print, note),
};
