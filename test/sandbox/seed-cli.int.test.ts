import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openStore } from '../../src/db/knex.ts';
import { storeLocationFor } from '../../src/db/store-location.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ledgerAccounts } from '../../sandbox/bank/ledger-accounts.ts';
import { passwordAuthenticator } from '../../src/auth/customers/password-authenticator.ts';
import { cliWorkspace, runCli } from '../cli/run-cli.ts';
import { storeKind } from '../helpers/store.ts';

const SANDBOX_CLI = 'sandbox/cli/index.ts';

test(`npm run sandbox -- seed writes a bank once, replaces it on --replace, refuses to add to a half-written one, and its customers sign in and hold their accounts (${storeKind})`, async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  const seed = (args: string[]) => runCli(['seed', ...args], cli.env, SANDBOX_CLI);

  const first = await seed(['--customers', '12', '--seed', 'cli-test', '--as-of', '2026-03-31']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^Seeded (PGlite in .*|PostgreSQL \(DATABASE_URL\)): seed "cli-test", 8 story and 12 generated customers, as of 2026-03-31, in \d+\.\d s\.\nGenerated customers sign in as customer-1 … customer-12 with the password customer-sandbox-pass\.\n$/);
  assert.equal(first.stderr, '', 'no progress bar when stderr is not a terminal');

  const again = await seed(['--customers', '40']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, '');
  assert.match(again.stderr, /has a sandbox bank already \(seed "cli-test", 12 generated customers, as of 2026-03-31\): nothing done; add --replace to replace it\.\n$/);

  // PGlite is one process's: the test's store is open only while the CLI is not running.
  const withStore = async (work: (db: ReturnType<typeof openStore>) => Promise<void>) => {
    const db = openStore(storeLocationFor(loadConfig(cli.env)));
    try {
      await work(db);
    } finally {
      await db.destroy();
    }
  };
  const counts = async (db: ReturnType<typeof openStore>) => Object.fromEntries(await Promise.all(['sandbox_customers', 'customers'].map(async (table) => [table, Number((await db(table).count({ count: '*' }))[0]!['count'])])));
  await withStore(async (db) => {
    assert.deepEqual(await counts(db), { sandbox_customers: 20, customers: 20 });
    const accounts = ledgerAccounts(db);
    assert.deepEqual(await accounts.listAccounts('cust-0001'), [
      { accountId: 'acc-0001-current', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: '04000412345678', name: 'Alice Carter', nickname: 'Everyday account', currency: 'GBP', availableBalance: '1250.75' },
      { accountId: 'acc-0001-savings', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: '04000487654321', name: 'Alice Carter', nickname: 'Rainy day savings', currency: 'GBP', availableBalance: '8400.00' },
    ]);
    assert.equal((await accounts.findAccount('cust-0004', 'UK.OBIE.SortCodeAccountNumber', '04000444400981'))?.availableBalance, '-643.18');
    assert.equal(await accounts.findAccount('cust-0002', 'UK.OBIE.SortCodeAccountNumber', '04000412345678'), undefined, "alice's account is not bob's");
    assert.deepEqual((await accounts.listAccounts('cust-0007')).map((account) => account.accountId), ['acc-0006-joint', 'acc-0007-savings'], 'jo holds the joint account too');
    assert.deepEqual(await accounts.listAccounts('nobody'), []);
    const signIn = passwordAuthenticator(db);
    assert.equal((await signIn.authenticate('customer-12', 'customer-sandbox-pass'))?.customer.id, 'customer-12');
    assert.equal((await signIn.authenticate('dan', 'dan-sandbox-pass'))?.customer.displayName, 'Daniel Hughes');
    assert.equal(await signIn.authenticate('customer-13', 'customer-sandbox-pass'), undefined);
  });

  const replaced = await seed(['--customers', '3', '--seed', 'other', '--as-of', '2026-04-30', '--replace']);
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.match(replaced.stdout, /seed "other", 8 story and 3 generated customers, as of 2026-04-30/);
  await withStore(async (db) => {
    assert.deepEqual(await counts(db), { sandbox_customers: 11, customers: 11 });
    assert.equal(await passwordAuthenticator(db).authenticate('customer-12', 'customer-sandbox-pass'), undefined, "the old bank's customers are gone");
    // As a seed that stopped half-way leaves it: customers, and no record of how they were made.
    await db('sandbox_bank').delete();
  });
  const broken = await seed(['--customers', '3']);
  assert.equal(broken.code, 1);
  assert.equal(broken.stdout, '');
  assert.equal(broken.stderr, 'error: the sandbox bank has customers but no record of its seed: an earlier seed stopped before the end; seed again with --replace\n');
});

test('npm run sandbox -- seed refuses a wrong command line (64) before touching the store', async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  for (const [args, message] of [
    [['seed', '--customers', 'many'], /--customers: Invalid input: expected number, received NaN/],
    [['seed', '--customers=-1'], /--customers: Too small/],
    [['seed', '--as-of', '2026-02-30'], /--as-of: Invalid ISO date/],
    [['seed', '--colour'], /Unknown option '--colour'/],
    [['grow'], /unknown command: grow/],
    [[], /usage: npm run sandbox -- <command>/],
  ] as const) {
    const result = await runCli([...args], cli.env, SANDBOX_CLI);
    assert.equal(result.code, 64, args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
    assert.equal(result.stdout, '');
  }
});
