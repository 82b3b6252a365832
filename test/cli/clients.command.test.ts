import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { storeKind } from '../helpers/store.ts';
import { migratedCliWorkspace, sharedMigratedWorkspace } from './run-cli.ts';

const workspace = sharedMigratedWorkspace();

function write(name: string, content: unknown): string {
  const file = join(workspace().dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** The client rows `clients list` prints, as their cells. */
async function listedClients(): Promise<string[][]> {
  const listed = await workspace().run(['clients', 'list']);
  assert.equal(listed.code, 0);
  if (listed.stdout === 'No clients registered.\n') return [];
  const [header, ...rows] = listed.stdout.trimEnd().split('\n');
  assert.match(header!, /^CLIENT_ID {2,}NAME {2,}AUTH METHOD {2,}FAPI {2,}SOFTWARE_ID {2,}REGISTERED$/);
  return rows.map((row) => row.split(/ {2,}/));
}

const listedIds = async () => (await listedClients()).map(([clientId]) => clientId);

/** Client metadata that passes the policy, for the given client_id. */
const valid = (clientId: string, extra: Record<string, unknown> = {}) => ({
  client_id: clientId,
  client_name: 'Example TPP',
  redirect_uris: ['https://tpp.example/callback'],
  token_endpoint_auth_method: 'private_key_jwt',
  jwks_uri: 'https://tpp.example/jwks.json',
  ...extra,
});

/** The error line the CLI ends with, past the development-secrets warning. */
const lastLine = (stderr: string) => stderr.trimEnd().split('\n').at(-1);

test(`clients register stores valid metadata through the FAPI client policy and prints it (${storeKind})`, async () => {
  const result = await workspace().run(['clients', 'register', write('valid.json', valid('tpp-valid'))]);
  assert.equal(result.code, 0, result.stderr);
  const stored = JSON.parse(result.stdout) as Record<string, unknown>;
  assert.equal(stored['client_id'], 'tpp-valid');
  assert.equal(stored['jwks_uri'], 'https://tpp.example/jwks.json');
  // What the policy and the provider's defaults filled in.
  assert.equal(stored['fapi_profile'], '2.0');
  assert.equal(stored['dpop_bound_access_tokens'], true);
  assert.equal(stored['require_pushed_authorization_requests'], true);
  assert.equal(stored['id_token_signed_response_alg'], 'PS256');

  const row = (await listedClients()).find(([clientId]) => clientId === 'tpp-valid');
  assert.deepEqual(row!.slice(0, 5), ['tpp-valid', 'Example TPP', 'private_key_jwt', '2.0', '-']);
  assert.match(row![5]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('clients register refuses client_secret_basic (1) with invalid_client_metadata naming the method', async () => {
  const result = await workspace().run(['clients', 'register', write('secret.json', valid('tpp-secret', { token_endpoint_auth_method: 'client_secret_basic', jwks_uri: undefined }))]);
  assert.equal(result.code, 1);
  assert.equal(lastLine(result.stderr), "error: invalid_client_metadata: token_endpoint_auth_method must be 'private_key_jwt', 'tls_client_auth', or 'self_signed_tls_client_auth'");
  assert.equal(result.stdout, '');
  assert.ok(!(await listedIds()).includes('tpp-secret'));
});

test('clients register names what is wrong with other invalid metadata and files (1)', async () => {
  const cases: Array<[string, unknown, string]> = [
    ['no-keys.json', valid('tpp-no-keys', { jwks_uri: undefined }), 'error: invalid_client_metadata: jwks or jwks_uri is mandatory for this client'],
    ['no-id.json', valid('unused', { client_id: undefined }), 'error: invalid_client_metadata: client_id is mandatory property'],
    ['implicit.json', valid('tpp-implicit', { grant_types: ['implicit'] }), 'error: invalid_client_metadata: grant_types may only contain authorization_code, refresh_token, client_credentials'],
    ['list.json', [valid('tpp-list')], `error: ${join(workspace().dir, 'list.json')} must hold one JSON object of client metadata`],
  ];
  for (const [name, content, message] of cases) {
    const result = await workspace().run(['clients', 'register', write(name, content)]);
    assert.equal(result.code, 1, name);
    assert.equal(lastLine(result.stderr), message, name);
  }
  const broken = await workspace().run(['clients', 'register', write('broken.json', '{ "client_id": ')]);
  assert.equal(broken.code, 1);
  assert.match(lastLine(broken.stderr)!, /^error: .*broken\.json is not JSON: /);
  const missing = await workspace().run(['clients', 'register', join(workspace().dir, 'absent.json')]);
  assert.equal(missing.code, 1);
  assert.match(lastLine(missing.stderr)!, /^error: cannot read .*absent\.json: ENOENT/);
  const ids = await listedIds();
  assert.ok(!['tpp-no-keys', 'tpp-implicit', 'tpp-list'].some((id) => ids.includes(id)), 'nothing was stored');
});

test('clients register refuses to replace a registered client unless --replace is given', async () => {
  assert.equal((await workspace().run(['clients', 'register', write('replace.json', valid('tpp-replace'))])).code, 0);
  const renamed = write('renamed.json', valid('tpp-replace', { client_name: 'Renamed TPP' }));
  const refused = await workspace().run(['clients', 'register', renamed]);
  assert.equal(refused.code, 1);
  assert.equal(lastLine(refused.stderr), 'error: client tpp-replace is already registered; pass --replace to replace its metadata');
  assert.equal((await listedClients()).find(([clientId]) => clientId === 'tpp-replace')![1], 'Example TPP');
  const replaced = await workspace().run(['clients', 'register', renamed, '--replace']);
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.equal((await listedClients()).find(([clientId]) => clientId === 'tpp-replace')![1], 'Renamed TPP');
});

test('clients delete removes a registration, and fails (1) for one that does not exist', async () => {
  assert.equal((await workspace().run(['clients', 'register', write('delete.json', valid('tpp-delete'))])).code, 0);
  const deleted = await workspace().run(['clients', 'delete', 'tpp-delete']);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.equal(deleted.stdout, 'Deleted client tpp-delete.\n');
  assert.ok(!(await listedIds()).includes('tpp-delete'));
  const again = await workspace().run(['clients', 'delete', 'tpp-delete']);
  assert.equal(again.code, 1);
  assert.equal(again.stderr, 'error: no client tpp-delete is registered\n');
});

test('clients list on a store without clients says so', async (t) => {
  const empty = await migratedCliWorkspace((cleanup) => t.after(cleanup));
  const result = await empty.run(['clients', 'list']);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, 'No clients registered.\n');
});
