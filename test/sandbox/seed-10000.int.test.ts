import assert from 'node:assert/strict';
import { test } from 'node:test';

import { passwordAuthenticator } from '../../src/auth/customers/password-authenticator.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openStore } from '../../src/db/knex.ts';
import { storeLocationFor } from '../../src/db/store-location.ts';
import { generateBank } from '../../sandbox/bank/generate/generate-bank.ts';
import { cliWorkspace, runCli } from '../cli/run-cli.ts';
import { storeKind } from '../helpers/store.ts';

/*
 * The seed the issue names, 10,000 generated customers, through `npm run sandbox -- seed` on the
 * suite's store: every row the generator makes is written, once. How fast, and in how much memory,
 * is `npm run bench:seed`'s to measure, not a test's (on both stores).
 *
 * On PostgreSQL only: the seed's code is the same on both stores, and `seed-cli.int.test.ts` runs
 * it on PGlite; on PGlite the 10,000 cost a minute and a half of a 2-core run's time for nothing
 * that run would find and that one does not.
 */

const SPEC = { seed: 'ten-thousand', customers: 10_000, asOf: '2026-12-01' };

function generatedCounts() {
  const counts = { customers: 0, accounts: 0, transactions: 0 };
  for (const unit of generateBank(SPEC)) {
    counts.customers += unit.customers.length;
    counts.accounts += unit.accounts.length;
    for (const account of unit.accounts) counts.transactions += account.transactions.length;
  }
  return counts;
}

test(`npm run sandbox -- seed --customers 10000 writes the whole bank (${storeKind})`, { skip: storeKind !== 'postgresql' && 'the 10,000 on PostgreSQL only; seed-cli.int.test.ts seeds PGlite' }, async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  const seeded = await runCli(['seed', '--customers', String(SPEC.customers), '--seed', SPEC.seed, '--as-of', SPEC.asOf], cli.env, 'sandbox/cli/index.ts', 280_000);
  assert.equal(seeded.code, 0, seeded.stderr);
  assert.match(seeded.stdout, /8 story and 10000 generated customers/);

  const expected = generatedCounts();
  const db = openStore(storeLocationFor(loadConfig(cli.env)));
  try {
    const count = async (table: string) => Number((await db(table).count({ count: '*' }))[0]!['count']);
    assert.deepEqual(
      { customers: await count('sandbox_customers'), accounts: await count('sandbox_accounts'), transactions: await count('sandbox_transactions') },
      expected,
    );
    assert.equal(await count('customers'), expected.customers, 'a sign-in row for each customer');
    const signIn = passwordAuthenticator(db);
    assert.equal((await signIn.authenticate('customer-10000', 'customer-sandbox-pass'))?.customer.id, 'customer-10000');
    assert.equal((await signIn.authenticate('alice', 'alice-sandbox-pass'))?.customer.id, 'cust-0001');
  } finally {
    await db.destroy();
  }
});
