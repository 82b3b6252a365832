import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type FetchImplementation } from 'jose';

import { createSandboxDirectory, type SandboxDirectory } from '../../../sandbox/directory/sandbox-directory.ts';
import { loadTrustedDirectories } from '../../../src/auth/registration/trusted-directories.ts';
import { verifySoftwareStatement } from '../../../src/auth/registration/verify-software-statement.ts';
import { assertOAuthError } from './registration-fixtures.ts';

const directoryUrl = 'https://keystore.directory.test/directory.jwks';

describe('loadTrustedDirectories', () => {
  let dir: string;
  let first: SandboxDirectory;
  let second: SandboxDirectory;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portcullis-directories-'));
    first = await createSandboxDirectory(join(dir, 'first'));
    second = await createSandboxDirectory(join(dir, 'second'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const claims = {
    software_id: 'software-1',
    software_redirect_uris: ['https://tpp.example/callback'],
    software_roles: ['AISP' as const],
    software_jwks_endpoint: 'https://tpp.example/jwks',
  };
  const serve = (jwksPath: string): FetchImplementation => async () => Response.json(JSON.parse(await readFile(jwksPath, 'utf8')));

  it('trusts the keys of every listed directory', async () => {
    const directories = await loadTrustedDirectories([first.jwksPath, second.jwksPath]);
    for (const directory of [first, second]) {
      const ssa = await verifySoftwareStatement(await directory.issueSoftwareStatement(claims), directories);
      assert.equal(ssa.software_id, 'software-1');
    }
  });

  it('does not trust a directory that is not listed', async () => {
    const directories = await loadTrustedDirectories([first.jwksPath]);
    await assertOAuthError(
      verifySoftwareStatement(await second.issueSoftwareStatement(claims), directories),
      'unapproved_software_statement',
      'software_statement is not signed by a trusted directory key',
    );
  });

  it('accepts an ES256 directory', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const jwksPath = join(dir, 'es256.jwks.json');
    await writeFile(jwksPath, JSON.stringify({ keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] }));
    const ssa = await new SignJWT({ ...claims, iss: 'EC Directory', jti: 'j', software_client_name: 'S', org_id: 'o', org_name: 'O' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuedAt()
      .sign(privateKey);
    const verified = await verifySoftwareStatement(ssa, await loadTrustedDirectories([jwksPath]));
    assert.equal(verified.iss, 'EC Directory');
  });

  it('fetches an https directory JWKS', async () => {
    const directories = await loadTrustedDirectories([directoryUrl], { fetch: serve(first.jwksPath) });
    const ssa = await verifySoftwareStatement(await first.issueSoftwareStatement(claims), directories);
    assert.equal(ssa.software_id, 'software-1');
  });

  it('still verifies with another directory when one directory URL is down', async () => {
    const down: FetchImplementation = async () => {
      throw new TypeError('fetch failed');
    };
    const directories = await loadTrustedDirectories([directoryUrl, first.jwksPath], { fetch: down });
    const ssa = await verifySoftwareStatement(await first.issueSoftwareStatement(claims), directories);
    assert.equal(ssa.software_id, 'software-1');
  });

  it('fails with a server error naming the URL when the only directory that may hold the key is down', async () => {
    const down: FetchImplementation = async () => new Response('unavailable', { status: 503 });
    const directories = await loadTrustedDirectories([first.jwksPath, directoryUrl], { fetch: down });
    await assert.rejects(verifySoftwareStatement(await second.issueSoftwareStatement(claims), directories), (err: Error & { error?: string }) => {
      assert.equal(err.message, `directory JWKS ${directoryUrl} is unavailable`);
      assert.equal(err.error, undefined);
      return true;
    });
  });

  describe('fails fast, naming the source', () => {
    const rejects = async (sources: string[], message: string) => {
      await assert.rejects(loadTrustedDirectories(sources), { name: 'ConfigError', message: `invalid configuration:\n  directoryJwks: ${message}` });
    };

    it('when there is no source', () => rejects([], 'at least one directory JWKS is required'));

    it('when a file cannot be read', async () => {
      const missing = join(dir, 'missing.json');
      await rejects([first.jwksPath, missing], `${missing} cannot be read (ENOENT)`);
    });

    it('when a file is not JSON', async () => {
      const path = join(dir, 'not-json.json');
      await writeFile(path, 'keys:');
      await rejects([path], `${path} is not JSON`);
    });

    it('when a file is not a JWK Set', async () => {
      for (const [name, content] of [['object', {}], ['empty', { keys: [] }], ['kty', { keys: [{ n: 'x' }] }]] as const) {
        const path = join(dir, `${name}.json`);
        await writeFile(path, JSON.stringify(content));
        await rejects([path], `${path} is not a JWK Set: expected {"keys": [...]} with at least one key`);
      }
    });

    it('when a file holds private key material', async () => {
      const path = join(dir, 'private.json');
      const privateJwk = JSON.parse(await readFile(join(dir, 'first', 'directory', 'signing-key.json'), 'utf8'));
      await writeFile(path, JSON.stringify({ keys: [privateJwk] }));
      await rejects([path], `${path} holds private key material; point to the public JWKS`);
    });

    it('when a URL is not valid', () => rejects(['https://'], 'https:// is not a valid URL'));

    it('when a URL is plain http', () => rejects(['http://directory.test/jwks'], 'http://directory.test/jwks must be fetched over https, or anyone on the path could swap the keys'));
  });
});
