import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';

import { storeKind } from '../helpers/store.ts';
import { cliWorkspace } from './run-cli.ts';

const MIGRATIONS = readdirSync(new URL('../../migrations/', import.meta.url)).filter((name) => name.endsWith('.ts')).sort();

test(`migrate applies every migration to a new store, then has nothing left to do (${storeKind})`, async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  const first = await cli.run(['migrate']);
  assert.equal(first.code, 0, first.stderr);
  const lines = first.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, new RegExp(`^Applied ${MIGRATIONS.length} migration\\(s\\) to (PGlite in .*/data/pglite|PostgreSQL \\(DATABASE_URL\\)):$`));
  assert.deepEqual(lines.slice(1).map((line) => line.trim()), MIGRATIONS);

  const second = await cli.run(['migrate']);
  assert.equal(second.code, 0);
  assert.match(second.stdout, /is up to date\.\n$/);
});

test('a command on a store that was never migrated fails (1) and says to migrate', async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  for (const args of [['keys', 'list'], ['keys', 'rotate'], ['clients', 'list']]) {
    const result = await cli.run(args);
    assert.equal(result.code, 1, args.join(' '));
    assert.match(result.stderr, /error: .* is not migrated: run `npm run cli -- migrate` first\n$/, args.join(' '));
    assert.equal(result.stdout, '');
  }
});
