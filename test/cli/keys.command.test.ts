import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadSigningKeys } from '../../src/auth/keys/signing-keys.service.ts';
import { defaults } from '../../src/config/defaults.ts';
import { openStore, type Knex } from '../../src/db/knex.ts';
import { storeKind } from '../helpers/store.ts';
import { migratedCliWorkspace, type CliResult, type CliWorkspace } from './run-cli.ts';

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const ROTATED_LINE = /^(PS256|ES256|EdDSA) {2,}(\S{43}) {2,}(\S+)$/;
const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;

/** The `ALG KID SIGNS FROM` lines `keys rotate` prints, as alg → kid and when it signs. */
function rotatedKeys(result: CliResult): Map<string, { kid: string; signsFrom: number }> {
  const [header, ...lines] = result.stdout.trimEnd().split('\n');
  assert.match(header!, /^ALG {2,}KID {2,}SIGNS FROM$/);
  return new Map(lines.map((line) => {
    const [, alg, kid, signsFrom] = ROTATED_LINE.exec(line) ?? assert.fail(`not an ALG KID SIGNS FROM line: ${line}`);
    assert.match(signsFrom!, INSTANT);
    return [alg!, { kid: kid!, signsFrom: Date.parse(signsFrom!) }];
  }));
}

const kidsOf = (keys: Map<string, { kid: string }>) => [...keys.values()].map((key) => key.kid);

interface ListedKey {
  alg: string;
  status: string;
  activatesAt: string;
  retiresAt: string;
  publishedUntil: string;
}

/** The rows `keys list` prints, by kid. */
function listedKeys(result: CliResult): Map<string, ListedKey> {
  const [header, ...lines] = result.stdout.trimEnd().split('\n');
  assert.match(header!, /^KID {2,}ALG {2,}CREATED {2,}STATUS {2,}ACTIVATES AT {2,}RETIRES AT {2,}PUBLISHED UNTIL$/);
  return new Map(lines.map((line) => {
    const [kid, alg, created, status, activatesAt, retiresAt, publishedUntil, ...rest] = line.split(/ {2,}/);
    assert.deepEqual(rest, [], line);
    assert.match(created!, INSTANT);
    assert.match(activatesAt!, INSTANT);
    return [kid!, { alg: alg!, status: status!, activatesAt: activatesAt!, retiresAt: retiresAt!, publishedUntil: publishedUntil! }];
  }));
}

/** The store the workspace's CLI runs against, opened by the test itself. */
async function withCliStore<T>(cli: CliWorkspace, work: (db: Knex) => Promise<T>): Promise<T> {
  const db = openStore(cli.env['DATABASE_URL'] ? { databaseUrl: cli.env['DATABASE_URL'] } : { pgliteDir: join(cli.env['DATA_DIR']!, 'pglite') });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 5 * MINUTE, `${what}: ${new Date(actual).toISOString()}`);

test(`keys rotate publishes new kids that sign after keyActivationDelay; keys list shows them pending and the old ones active until then (${storeKind})`, async (t) => {
  const cli = await migratedCliWorkspace((cleanup) => t.after(cleanup));
  const empty = await cli.run(['keys', 'list']);
  assert.equal(empty.code, 0);
  assert.equal(empty.stdout, 'No signing keys yet: `npm start` or `keys rotate` creates them.\n');

  const first = await cli.run(['keys', 'rotate']);
  assert.equal(first.code, 0, first.stderr);
  const firstKeys = rotatedKeys(first);
  assert.deepEqual([...firstKeys.keys()], ['PS256', 'ES256', 'EdDSA']);
  for (const key of firstKeys.values()) near(key.signsFrom, Date.now(), 'nothing signed before: the first keys sign at once');
  assert.doesNotMatch(first.stderr, /Retired|published now/, 'nothing to retire or wait for on a new store');

  const second = await cli.run(['keys', 'rotate']);
  assert.equal(second.code, 0, second.stderr);
  const secondKeys = rotatedKeys(second);
  assert.equal(new Set([...kidsOf(firstKeys), ...kidsOf(secondKeys)]).size, 6, 'six distinct kids');
  const activation = Date.now() + defaults.keyActivationDelay * 1000;
  for (const key of secondKeys.values()) near(key.signsFrom, activation, 'signs from keyActivationDelay on');
  assert.match(second.stderr, new RegExp(`The new keys are published now, for verification only, and sign from SIGNS FROM \\(keyActivationDelay: ${defaults.keyActivationDelay} s\\)`));
  assert.match(second.stderr, new RegExp(`Retired ${kidsOf(firstKeys).join(', ')}: they sign until \\d{4}-\\S+, then verify only, and stay published until about \\d{4}-`));

  const listed = await cli.run(['keys', 'list']);
  assert.equal(listed.code, 0);
  const keys = listedKeys(listed);
  assert.equal(keys.size, 6);
  for (const [alg, { kid, signsFrom }] of secondKeys) {
    assert.deepEqual(keys.get(kid), { alg, status: 'pending', activatesAt: new Date(signsFrom).toISOString().replace('.000Z', 'Z'), retiresAt: 'not scheduled', publishedUntil: 'not scheduled' });
  }
  for (const [alg, { kid }] of firstKeys) {
    const key = keys.get(kid)!;
    assert.deepEqual([key.alg, key.status], [alg, 'active'], 'signs until the new key activates');
    near(Date.parse(key.retiresAt), activation, 'retires when the new key activates');
    near(Date.parse(key.publishedUntil), activation + DAY, 'published for retiredKeyGrace (1 day) after that');
  }

  // Once the activation is past (the keys' instants moved back), the new keys are active and the old ones retired.
  await withCliStore(cli, (db) => db('signing_keys').update({ activates_at: db.raw(`activates_at - interval '1 hour'`), retired_at: db.raw(`retired_at - interval '1 hour'`) }));
  const later = listedKeys(await cli.run(['keys', 'list']));
  for (const { kid } of secondKeys.values()) assert.equal(later.get(kid)!.status, 'active');
  for (const { kid } of firstKeys.values()) assert.deepEqual([later.get(kid)!.status, later.get(kid)!.publishedUntil.endsWith('(ended)')], ['retired', false]);
});

test('keys rotate --now during a pending rotation signs at once, retires both the current and the pending keys, and leaves one signer per algorithm', async (t) => {
  const cli = await migratedCliWorkspace((cleanup) => t.after(cleanup));
  const original = rotatedKeys(await cli.run(['keys', 'rotate']));
  const pending = rotatedKeys(await cli.run(['keys', 'rotate']));
  const emergency = await cli.run(['keys', 'rotate', '--now']);
  assert.equal(emergency.code, 0, emergency.stderr);
  const now = rotatedKeys(emergency);
  for (const key of now.values()) near(key.signsFrom, Date.now(), 'signs at once');
  assert.doesNotMatch(emergency.stderr, /published now/);
  const retired = emergency.stderr.match(/Retired (.*): they sign until/)?.[1]?.split(', ') ?? assert.fail(emergency.stderr);
  assert.deepEqual(retired.sort(), [...kidsOf(original), ...kidsOf(pending)].sort());

  const keys = listedKeys(await cli.run(['keys', 'list']));
  assert.equal(keys.size, 9);
  for (const { kid } of now.values()) assert.equal(keys.get(kid)!.status, 'active');
  for (const kid of retired) {
    const key = keys.get(kid)!;
    assert.equal(key.status, 'retired', kid);
    near(Date.parse(key.publishedUntil), Date.now() + DAY, `${kid} stays published for retiredKeyGrace`);
  }
  const signers: Array<{ alg: string; kids: string }> = await withCliStore(cli, async (db) => (await db.raw(`
    select alg, string_agg(kid, ',') as kids from signing_keys
    where activates_at <= now() and (retired_at is null or retired_at > now())
    group by alg order by alg`)).rows);
  assert.deepEqual(signers, ['ES256', 'EdDSA', 'PS256'].map((alg) => ({ alg, kids: now.get(alg)!.kid })));
});

test('keys rotated by the CLI are sealed with the development secrets `npm start` uses', async (t) => {
  const cli = await migratedCliWorkspace((cleanup) => t.after(cleanup));
  const kids = kidsOf(rotatedKeys(await cli.run(['keys', 'rotate'])));
  const secrets = JSON.parse(readFileSync(join(cli.env['DATA_DIR']!, 'dev-secrets.json'), 'utf8')) as { keyEncryptionKey: string };
  const jwks = await withCliStore(cli, (db) => loadSigningKeys(db, Buffer.from(secrets.keyEncryptionKey, 'base64url'), 60));
  assert.deepEqual(jwks.keys.map((key) => key.kid).sort(), kids.sort());
});

test('keys rotate with the wrong KEY_ENCRYPTION_KEY fails (1), says so, and changes nothing', async (t) => {
  const cli = await migratedCliWorkspace((cleanup) => t.after(cleanup));
  const kids = kidsOf(rotatedKeys(await cli.run(['keys', 'rotate'])));
  for (const args of [['keys', 'rotate'], ['keys', 'rotate', '--now']]) {
    const result = await cli.run(args, { KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url') });
    assert.equal(result.code, 1, args.join(' '));
    assert.match(result.stderr, /\nerror: signing key \S+ cannot be decrypted: is KEY_ENCRYPTION_KEY the one it was stored with\?\n$/);
    assert.equal(result.stdout, '');
  }
  const keys = listedKeys(await cli.run(['keys', 'list']));
  assert.deepEqual([...keys.keys()].sort(), kids.sort());
});
