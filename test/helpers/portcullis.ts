import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadConfig, type Config, type ListenerLimits } from '../../src/config/config.ts';
import type { Knex } from '../../src/db/knex.ts';
import { createLogger, type Logger } from '../../src/observability/logger.ts';
import { startPortcullis, type Portcullis } from '../../src/server/start.ts';
import { createSandboxDirectory, type SandboxDirectory } from '../../sandbox/directory/sandbox-directory.ts';
import { openTestStore } from './store.ts';
import { freePort } from './free-port.ts';

export interface TestPortcullis extends Omit<Portcullis, 'urls'> {
  /** Both listeners: the test instance runs every role unless `ROLES` says otherwise. */
  urls: { browser: string; partner: string; public?: string; admin?: string };
  config: Config;
  certsDir: string;
  caPem: string;
  sampleClient: { certificatePem: string; privateKeyPem: string };
  directory: SandboxDirectory;
}

/**
 * What a partner helper needs of an instance, wherever it runs (in this process or its own): a
 * provider to register clients through, the issuer, the listeners, and the PKI's CA and sample
 * client certificate.
 */
export type PartnerTarget = Pick<TestPortcullis, 'provider' | 'config' | 'urls' | 'caPem' | 'sampleClient'>;

/**
 * One key-encryption key for the whole suite: test files share the PostgreSQL database, and so
 * its signing keys, which each instance must be able to open.
 */
export const TEST_KEY_ENCRYPTION_KEY = Buffer.alloc(32, 'portcullis-test-suite').toString('base64url');


export interface TestOverrides {
  /** Listener limits no variable sets (e.g. seconds-short timeouts), over the configured ones. */
  listeners?: Partial<ListenerLimits>;
  /** A store of the test's own (migrated already), closed with the app. */
  store?: Knex;
  /** Where the app logs (a captured logger, for a test that reads the lines); the configured level's quiet logger otherwise. */
  logger?: Logger;
}

/**
 * The configuration a test instance runs with: free ports, a private work folder (certs and data),
 * the suite's key-encryption key, fresh cookie and DPoP secrets; `env` adds or overrides variables.
 */
export async function testConfig(env: Record<string, string> = {}): Promise<{ workDir: string; config: Config }> {
  const workDir = mkdtempSync(join(tmpdir(), 'portcullis-test-'));
  const config = loadConfig({ ...(await testEnvironment(workDir)), ...env });
  return { workDir, config };
}

/**
 * The variables a test instance runs with, in `workDir`: free ports, the suite's key-encryption
 * key, fresh cookie and DPoP secrets and admin token. Also what a benchmark hands `src/main.ts`.
 */
export async function testEnvironment(workDir: string): Promise<Record<string, string>> {
  const [httpsPort, mtlsPort, gatewayPort, adminPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HTTPS_PORT: String(httpsPort),
    MTLS_PORT: String(mtlsPort),
    GATEWAY_PORT: String(gatewayPort),
    ADMIN_PORT: String(adminPort),
    ADMIN_TOKEN: randomBytes(32).toString('base64url'),
    DATA_DIR: join(workDir, 'data'),
    CERTS_DIR: join(workDir, 'certs'),
    KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    DPOP_NONCE_SECRET: randomBytes(32).toString('base64url'),
    BANK_INTEGRATION: fileURLToPath(new URL('./test-bank.ts', import.meta.url)),
    // Every test signs up from 127.0.0.1, and on PostgreSQL the counter outlives a run: the sign-up
    // throttle's own test sets a small limit.
    PORTAL_SIGN_UPS_PER_HOUR: '100000',
    // Pages that show analytics (usage, the console's figures) see a test's calls within a second.
    ANALYTICS_FLUSH_INTERVAL: '1',
    // A test that ends with a request still hanging (a stalled client, a silent upstream) waits this long at close, not 25 s.
    SHUTDOWN_TIMEOUT: '2',
  };
}

// Test files run in parallel: a port free when picked may be taken by another file's server before ours binds it.
const PORT_RACE_ATTEMPTS = 3;

async function startOnFreePorts(env: Record<string, string>, overrides: TestOverrides, db: Knex) {
  for (let attempt = 1; ; attempt++) {
    const { workDir, config } = await testConfig(env);
    config.listeners = { ...config.listeners, ...overrides.listeners };
    try {
      return { workDir, config, portcullis: await startPortcullis(config, overrides.logger ?? createLogger(config.logLevel, false), { db }) };
    } catch (error) {
      rmSync(workDir, { recursive: true, force: true });
      const portTaken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!portTaken || attempt === PORT_RACE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Boots the real product on free ports, with a private certs/data folder and the test store.
 * `env` adds or overrides environment variables (e.g. trusted proxies); `overrides.listeners`
 * changes listener limits no variable reaches; `overrides.store` replaces the test store (migrated
 * already), and is closed with the app.
 */
export async function startTestPortcullis(env: Record<string, string> = {}, overrides: TestOverrides = {}): Promise<TestPortcullis> {
  const db = overrides.store ?? await openTestStore();
  // A start that fails must not leave the store it opened: its connections would keep the test
  // file's process, and the whole run, from ever ending. A store the caller gave stays the caller's.
  const { workDir, config, portcullis } = await startOnFreePorts(env, overrides, db).catch(async (error: unknown) => {
    if (!overrides.store) await db.destroy();
    throw error;
  });
  const certsDir = config.certsDir;
  const { browser = '', partner = '', ...others } = portcullis.urls;
  return {
    ...portcullis,
    urls: { browser, partner, ...others },
    config,
    certsDir,
    caPem: readFileSync(join(certsDir, 'dev-ca.pem'), 'utf8'),
    sampleClient: { certificatePem: readFileSync(join(certsDir, 'sample-client.pem'), 'utf8'), privateKeyPem: readFileSync(join(certsDir, 'sample-client.key'), 'utf8') },
    directory: await createSandboxDirectory(certsDir),
    async close() {
      await portcullis.close();
      await db.destroy();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
