import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';

import { ConfigError } from '../../src/config/config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startPortcullis, type Portcullis } from '../../src/server/start.ts';
import { createSandboxDirectory } from '../../sandbox/directory/sandbox-directory.ts';
import { testConfig } from '../helpers/portcullis.ts';
import { openTestStore } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { built } from './fixtures/tiny-bank.ts';

/*
 * `ROLES` chooses what a process serves, each role putting its routes on the listeners it uses;
 * `BANK_INTEGRATION` names the module that connects the bank, loaded by configuration, never
 * imported by `src/`.
 */

const workDirs: string[] = [];
after(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<{ portcullis: Portcullis; caPem: () => string; close(): Promise<void> }> {
  const { workDir, config } = await testConfig(env);
  workDirs.push(workDir);
  const db = await openTestStore();
  try {
    const portcullis = await startPortcullis(config, createLogger('silent', false), { db });
    return {
      portcullis,
      caPem: () => readFileSync(join(config.certsDir, 'dev-ca.pem'), 'utf8'),
      async close() {
        await portcullis.close();
        await db.destroy();
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

describe('ROLES', () => {
  test('gateway alone: only the mutual-TLS listener, serving the /open-banking/ table and nothing of the authorization server, and /metrics on the admin listener', async () => {
    const { portcullis, caPem, close } = await start({ ROLES: 'gateway' });
    try {
      assert.deepEqual(portcullis.roles, ['gateway']);
      assert.equal(portcullis.urls.browser, undefined, 'no browser listener');
      const fetchTls = tlsFetch(caPem());
      const consents = await fetchTls(`${portcullis.urls.partner}/open-banking/v3.1/aisp/account-access-consents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(consents.status, 401, 'the consent API is there, and wants a token');
      assert.equal(((await consents.json()) as { Errors: Array<{ ErrorCode: string }> }).Errors[0]!.ErrorCode, 'UK.OBIE.Header.Missing');
      assert.equal((await fetchTls(`${portcullis.urls.partner}/token`, { method: 'POST' })).status, 404, 'no token endpoint in a gateway');
      assert.equal((await fetchTls(`${portcullis.urls.partner}/readyz`)).status, 200);
      const metrics = await (await fetchTls(`${portcullis.urls.admin}/metrics`)).text();
      assert.match(metrics, /^# TYPE portcullis_gateway_requests_total counter$/m, "the gateway's series");
      assert.match(metrics, /^# TYPE nodejs_gc_duration_seconds histogram$/m, "and the process's own, after them");
    } finally {
      await close();
    }
  });

  test('auth alone: both listeners for the authorization server, no /open-banking/ table', async () => {
    const { portcullis, caPem, close } = await start({ ROLES: 'auth' });
    try {
      assert.deepEqual(portcullis.roles, ['auth']);
      const fetchTls = tlsFetch(caPem());
      assert.equal((await fetchTls(`${portcullis.urls.browser}/.well-known/openid-configuration`)).status, 200);
      const token = await fetchTls(`${portcullis.urls.partner}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      assert.equal(token.status, 400, 'the token endpoint answers');
      assert.equal((await fetchTls(`${portcullis.urls.partner}/open-banking/v3.1/aisp/account-access-consents`, { method: 'POST' })).status, 404);
      assert.equal((await fetchTls(`${portcullis.urls.browser}/apis`)).status, 404, 'no developer portal');
    } finally {
      await close();
    }
  });

  test('portal alone: the developer portal on the browser listener, nothing of the authorization server', async () => {
    const { portcullis, caPem, close } = await start({ ROLES: 'portal' });
    try {
      assert.deepEqual(portcullis.roles, ['portal']);
      assert.deepEqual(Object.keys(portcullis.urls), ['browser']);
      const fetchTls = tlsFetch(caPem());
      assert.equal((await fetchTls(`${portcullis.urls.browser}/apis`)).status, 200);
      assert.equal((await fetchTls(`${portcullis.urls.browser}/.well-known/openid-configuration`)).status, 404);
    } finally {
      await close();
    }
  });
});

describe('BANK_INTEGRATION', () => {
  test('the module it names is the bank: its summary, its customers', async () => {
    const workCerts = mkdtempSync(join(tmpdir(), 'portcullis-tiny-bank-'));
    workDirs.push(workCerts);
    await createSandboxDirectory(join(workCerts));
    const { portcullis, close } = await start({ BANK_INTEGRATION: 'test/server/fixtures/tiny-bank.ts', CERTS_DIR: workCerts });
    try {
      assert.deepEqual(portcullis.bankSummary, ['  Tiny bank: one customer']);
      assert.equal(built.length, 1, 'built once, with the context');
      assert.equal(built[0]!.config.bankIntegration, resolve('test/server/fixtures/tiny-bank.ts'));
      assert.equal(built[0]!.db, portcullis.db);
    } finally {
      await close();
    }
  });

  test('a module that is missing, or exports no builder, stops the start as configuration', async () => {
    await assert.rejects(start({ BANK_INTEGRATION: 'test/server/fixtures/no-such-bank.ts' }), (error: Error) => error instanceof ConfigError && /^BANK_INTEGRATION: cannot load .*no-such-bank\.ts/.test(error.message));
    await assert.rejects(start({ BANK_INTEGRATION: 'test/server/fixtures/not-a-bank.ts' }), (error: Error) => error instanceof ConfigError && /not-a-bank\.ts must export a default function/.test(error.message));
  });
});
