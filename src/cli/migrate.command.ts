import { migrateToLatest } from '../db/migrate.ts';
import { describeStoreLocation } from '../db/store-location.ts';
import type { Command } from './command.ts';
import { withStore } from './with-store.ts';

export const migrateCommand: Command = {
  words: ['migrate'],
  arguments: [],
  flags: {},
  summary: 'apply pending migrations to the store',
  description: 'Applies every pending migration in migrations/ to the store `npm start` uses: PostgreSQL when DATABASE_URL is set, else PGlite under DATA_DIR. Prints the migrations it ran. Running it again changes nothing.',
  async run({ config, print, events, clock }) {
    const applied = await withStore({ config, events, clock }, migrateToLatest);
    if (applied.length === 0) print(`${describeStoreLocation(config)} is up to date.`);
    else print(`Applied ${applied.length} migration(s) to ${describeStoreLocation(config)}:\n${applied.map((name) => `  ${name}`).join('\n')}`);
  },
};
