import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { passwordMatches } from '../../src/auth/customers/password-authenticator.ts';
import { openStore, type Knex } from '../../src/db/knex.ts';
import { sharedMigratedWorkspace } from './run-cli.ts';

const workspace = sharedMigratedWorkspace();

async function withDb<T>(work: (db: Knex) => Promise<T>): Promise<T> {
  const env = workspace().env;
  const db = env['DATABASE_URL'] ? openStore({ databaseUrl: env['DATABASE_URL'] }) : openStore({ pgliteDir: join(env['DATA_DIR']!, 'pglite') });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/** The error line the CLI ends with, past the development-secrets warning. */
const lastLine = (stderr: string) => stderr.trimEnd().split('\n').at(-1);

test('operators add creates an operator, prints their first password once, and audits it; operators list shows them', async () => {
  assert.equal((await workspace().run(['operators', 'list'])).stdout, 'No operators. Add one with `npm run cli -- operators add <email> --name <name> --role admin`.\n');
  const added = await workspace().run(['operators', 'add', 'Ada@Bank.example', '--name', 'Ada Lovelace', '--role', 'admin']);
  assert.equal(added.code, 0, added.stderr);
  const [first, second] = added.stdout.trimEnd().split('\n');
  assert.match(first!, /^Added admin Ada@Bank\.example \(op-[0-9a-f-]{36}\)\.$/);
  const password = second!.match(/^First password \(shown once\): ([A-Za-z0-9_-]{24})$/)![1]!;
  await withDb(async (db) => {
    const row = await db('operators').where({ email_key: 'ada@bank.example' }).first();
    assert.equal(row.role, 'admin');
    assert.ok(await passwordMatches(row.password_hash, password), 'the printed password is the one stored (hashed)');
    assert.equal(row.totp_enrolled_at, null);
    const audited = await db('audit_log').where({ action: 'operator.created' }).first('actor', 'payload');
    assert.deepEqual([audited.actor, audited.payload.operatorId, audited.payload.role], ['ops', row.id, 'admin']);
  });
  const listed = await workspace().run(['operators', 'list']);
  assert.equal(listed.code, 0);
  const [header, row] = listed.stdout.trimEnd().split('\n');
  assert.match(header!, /^EMAIL {2,}NAME {2,}ROLE {2,}TOTP {2,}ADDED {2,}DISABLED$/);
  const cells = row!.split(/ {2,}/);
  assert.deepEqual([cells[0], cells[1], cells[2], cells[3], cells[5]], ['Ada@Bank.example', 'Ada Lovelace', 'admin', 'not yet', '-']);
  assert.doesNotMatch(listed.stdout, new RegExp(password));
});

test('operators add refuses an address taken (1), whatever its case', async () => {
  assert.equal((await workspace().run(['operators', 'add', 'grace@bank.example', '--name', 'Grace', '--role', 'viewer'])).code, 0);
  const again = await workspace().run(['operators', 'add', 'GRACE@bank.example', '--name', 'Grace again', '--role', 'admin']);
  assert.equal(again.code, 1);
  assert.equal(lastLine(again.stderr), 'error: an operator with the address GRACE@bank.example exists already');
});

test('operators add checks its command line (64): the address, the name and the role', async () => {
  for (const [args, message] of [
    [['not-an-address', '--name', 'X', '--role', 'admin'], 'error: not an email address: not-an-address'],
    [['x@bank.example', '--role', 'admin'], 'error: --name <name> is required (at most 100 characters)'],
    [['x@bank.example', '--name', 'X', '--role', 'root'], 'error: --role must be one of viewer, operator, admin'],
    [['x@bank.example', '--name', 'X'], 'error: --role must be one of viewer, operator, admin'],
  ] as const) {
    const result = await workspace().run(['operators', 'add', ...args]);
    assert.equal(result.code, 64, args.join(' '));
    assert.equal(lastLine(result.stderr), message);
  }
  const help = await workspace().run(['operators', 'add', '--help']);
  assert.match(help.stdout, /^Usage: npm run cli -- operators add <email> --name <name> --role <viewer\|operator\|admin>$/m);
});
