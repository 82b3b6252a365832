import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { decodeJwt, decodeProtectedHeader } from 'jose';

import { createSandboxDirectory } from '../../sandbox/directory/sandbox-directory.ts';
import { loadTrustedDirectories } from '../../src/auth/registration/trusted-directories.ts';
import { verifySoftwareStatement } from '../../src/auth/registration/verify-software-statement.ts';

const claims = {
  software_id: 'software-1',
  software_redirect_uris: ['https://tpp.example/callback'],
  software_roles: ['PISP' as const],
  software_jwks_endpoint: 'https://tpp.example/jwks',
};

describe('createSandboxDirectory', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'portcullis-sandbox-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

  it('creates the key under <certsDir>/directory, private parts readable by the owner only', async () => {
    const certsDir = join(root, 'create');
    const directory = await createSandboxDirectory(certsDir);
    assert.equal(directory.jwksPath, join(certsDir, 'directory', 'jwks.json'));
    assert.equal((await stat(join(certsDir, 'directory', 'signing-key.json'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(certsDir, 'directory'))).mode & 0o777, 0o700);

    const privateJwk = await readJson(join(certsDir, 'directory', 'signing-key.json'));
    assert.equal(privateJwk.alg, 'PS256');
    assert.equal(typeof privateJwk.d, 'string');
    const { keys } = await readJson(directory.jwksPath);
    assert.deepEqual(keys, [{ kty: 'RSA', n: privateJwk.n, e: privateJwk.e, kid: privateJwk.kid, alg: 'PS256', use: 'sig' }]);
  });

  it('reuses the key on the next call', async () => {
    const certsDir = join(root, 'reuse');
    const first = await createSandboxDirectory(certsDir);
    const firstJwks = await readJson(first.jwksPath);
    const second = await createSandboxDirectory(certsDir);
    assert.deepEqual(await readJson(second.jwksPath), firstJwks);
    const ssa = await second.issueSoftwareStatement(claims);
    assert.equal(decodeProtectedHeader(ssa).kid, firstJwks.keys[0].kid);
  });

  it('settles on one key when opened twice at once', async () => {
    const certsDir = join(root, 'race');
    const [first, second] = await Promise.all([createSandboxDirectory(certsDir), createSandboxDirectory(certsDir)]);
    const kids = await Promise.all([first, second].map(async (directory) => decodeProtectedHeader(await directory.issueSoftwareStatement(claims)).kid));
    assert.equal(kids[0], kids[1]);
    assert.equal((await readJson(first.jwksPath)).keys[0].kid, kids[0]);
  });

  it('writes the public JWKS again when it was deleted', async () => {
    const certsDir = join(root, 'rewrite');
    const directory = await createSandboxDirectory(certsDir);
    const jwks = await readJson(directory.jwksPath);
    await unlink(directory.jwksPath);
    await createSandboxDirectory(certsDir);
    assert.deepEqual(await readJson(directory.jwksPath), jwks);
  });

  it('refuses a signing key file that is not its key', async () => {
    const certsDir = join(root, 'corrupt');
    await createSandboxDirectory(certsDir);
    const keyPath = join(certsDir, 'directory', 'signing-key.json');
    for (const content of ['{', JSON.stringify({ ...(await readJson(keyPath)), alg: 'RS256' })]) {
      await writeFile(keyPath, content);
      await assert.rejects(createSandboxDirectory(certsDir), { message: `${keyPath} is not a PS256 private JWK with a kid; delete it to make a new directory key` });
    }
  });

  it('issues statements in the Directory shape that the authorization server verifies', async () => {
    const directory = await createSandboxDirectory(join(root, 'issue'));
    const ssa = await directory.issueSoftwareStatement(claims);
    assert.deepEqual(decodeProtectedHeader(ssa), { alg: 'PS256', kid: (await readJson(directory.jwksPath)).keys[0].kid, typ: 'JWT' });
    const verified = await verifySoftwareStatement(ssa, await loadTrustedDirectories([directory.jwksPath]));
    const { iat, jti, ...rest } = verified;
    assert.equal(typeof iat, 'number');
    assert.equal(typeof jti, 'string');
    assert.deepEqual(rest, {
      ...claims,
      iss: 'Portcullis Sandbox Directory',
      software_client_id: 'software-1',
      software_client_name: 'Sandbox software software-1',
      software_version: '1.0',
      software_mode: 'Test',
      software_environment: 'sandbox',
      org_id: 'sandbox-organisation',
      org_name: 'Sandbox Organisation',
      org_status: 'Active',
    });
  });

  it('lets the caller override defaults and set a lifetime', async () => {
    const directory = await createSandboxDirectory(join(root, 'override'));
    const ssa = await directory.issueSoftwareStatement({ ...claims, org_name: 'Budget Buddy Ltd', iat: 1_750_000_000 }, { expiresIn: '1h' });
    const payload = decodeJwt(ssa);
    assert.equal(payload.org_name, 'Budget Buddy Ltd');
    assert.equal(payload.iat, 1_750_000_000);
    assert.ok(Math.abs((payload.exp as number) - (Date.now() / 1000 + 3600)) < 5);
    assert.equal(decodeJwt(await directory.issueSoftwareStatement(claims)).exp, undefined);
  });
});
