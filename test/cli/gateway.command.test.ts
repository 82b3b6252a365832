import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { storeKind } from '../helpers/store.ts';
import { sharedMigratedWorkspace } from './run-cli.ts';

const workspace = sharedMigratedWorkspace();
const EXAMPLE = readFileSync(new URL('../../docs/examples/gateway.yaml', import.meta.url), 'utf8');

function write(name: string, content: string): string {
  const file = join(workspace().dir, name);
  writeFileSync(file, content);
  return file;
}

/** The error line the CLI ends with, past the development-secrets warning. */
const lastLine = (stderr: string) => stderr.trimEnd().split('\n').at(-1);

test(`gateway apply: --dry-run shows the diff and changes nothing, apply makes it, again changes nothing; export round-trips (${storeKind})`, async () => {
  const file = write('gateway.yaml', EXAMPLE);
  const dry = await workspace().run(['gateway', 'apply', file, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  const lines = dry.stdout.trimEnd().split('\n');
  assert.equal(lines[0], '+ api clinics v1');
  assert.ok(lines.includes('~ api clinics v1: lifecycle draft → published → deprecated (sunset 2027-06-30T00:00:00.000Z, successor clinics v2)'));
  assert.equal(lines.at(-1), 'Dry run: nothing was changed.');

  const applied = await workspace().run(['gateway', 'apply', file]);
  assert.equal(applied.code, 0, applied.stderr);
  assert.deepEqual(applied.stdout.trimEnd().split('\n'), lines.slice(0, -1), 'the dry run changed nothing: the same diff');
  assert.equal((await workspace().run(['gateway', 'apply', file])).stdout, 'No changes.\n');

  const exported = await workspace().run(['gateway', 'export']);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /^apis:\n  - name: clinics\n    version: v1\n/);
  const target = join(workspace().dir, 'exported.yaml');
  assert.equal((await workspace().run(['gateway', 'export', target])).code, 0);
  assert.equal(readFileSync(target, 'utf8').trimEnd(), exported.stdout.trimEnd());
  assert.equal((await workspace().run(['gateway', 'apply', target])).stdout, 'No changes.\n');

  const kept = await workspace().run(['gateway', 'apply', write('empty.yaml', 'plans: []\n'), '--no-delete']);
  assert.equal(kept.stdout, 'No changes.\n');
});

test('gateway apply: a bad file or a refused change fails (1) naming where, and usage errors are 64', async () => {
  const bad = await workspace().run(['gateway', 'apply', write('bad.yaml', EXAMPLE.replace('method: POST', 'method: FETCH'))]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /is not a valid gateway file:\n {2}apis\[1\]\.routes\[1\]\.method: /);
  const routed = await workspace().run(['gateway', 'apply', write('none.yaml', 'apis: []\n')]);
  assert.equal(routed.code, 1);
  assert.match(lastLine(routed.stderr)!, /^error: API clinics v\d is (published|deprecated) and not in the file: retire it first/);
  assert.equal((await workspace().run(['gateway', 'apply'])).code, 64);
  assert.equal((await workspace().run(['gateway', 'export', 'a.yaml', 'b.yaml'])).code, 64);
});
