import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type Provider from 'oidc-provider';

import { buildProvider } from '../../src/cli/build-provider.ts';
import { loadConfig, type Config, type Secrets } from '../../src/config/config.ts';
import { openStore } from '../../src/db/knex.ts';
import { childProcessEnv } from './child-process-env.ts';
import { testEnvironment } from './portcullis.ts';

export interface PortcullisProcess {
  readonly pid: number;
  /** Every listener's base URL (a listener no role of the process uses refuses connections). */
  urls: { browser: string; partner: string; public: string; admin: string };
  config: Config;
  secrets: { adminToken: string };
  certsDir: string;
  /** The dev CA the process's listeners are signed by, and the sample client certificate it issued. */
  caPem: string;
  sampleClient: { certificatePem: string; privateKeyPem: string };
  /**
   * The authorization server as the process builds it, in this process and never listening (as
   * `clients register` builds it): what the partner helpers register clients through, into the
   * store the process reads them from.
   */
  provider: Provider;
  /** What the process has printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM unless stated) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops the process (SIGKILL if it outlives `SHUTDOWN_TIMEOUT` by far) and removes its folder. */
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 90_000;
// Test files run in parallel: a port free when picked may be taken by another file's server before the process binds it.
const PORT_RACE_ATTEMPTS = 3;

function waitForStart(child: ChildProcess, output: () => string): Promise<'started' | 'port-taken'> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (output().includes('Portcullis is running')) finish(() => resolve('started'));
      else if (Date.now() - started > START_TIMEOUT_MS) finish(() => reject(new Error(`no start within ${START_TIMEOUT_MS} ms:\n${output()}`)));
    }, 50);
    const onExit = (code: number | null) => finish(() => (output().includes('EADDRINUSE') ? resolve('port-taken') : reject(new Error(`exited (${code}) before it started:\n${output()}`))));
    child.once('exit', onExit);
    function finish(settle: () => void) {
      clearInterval(poll);
      child.off('exit', onExit);
      settle();
    }
  });
}

/**
 * The real product as its own process (`node src/main.ts`, what `npm start` and a container run),
 * on free ports and the suite's store (`DATABASE_URL`: processes share only a PostgreSQL server),
 * with the test environment's variables and `env` over them. How the multi-instance and shutdown
 * tests run several instances as a bank's deployment would.
 */
export async function startPortcullisProcess(env: Record<string, string> = {}): Promise<PortcullisProcess> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('instances in their own processes share a PostgreSQL server: set DATABASE_URL');
  for (let attempt = 1; ; attempt++) {
    const workDir = mkdtempSync(join(tmpdir(), 'portcullis-process-'));
    const variables: Record<string, string> = { ...(await testEnvironment(workDir)), LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, ...env };
    const config = loadConfig(variables);
    const child = spawn(process.execPath, ['src/main.ts'], { env: { ...childProcessEnv(), ...variables }, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    const collect = (chunk: Buffer) => {
      printed += chunk.toString();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const exited = once(child, 'exit').then(([code]) => code as number | null);
    const outcome = await waitForStart(child, () => printed).catch((error: unknown) => {
      child.kill('SIGKILL');
      rmSync(workDir, { recursive: true, force: true });
      throw error;
    });
    if (outcome === 'port-taken') {
      rmSync(workDir, { recursive: true, force: true });
      if (attempt === PORT_RACE_ATTEMPTS) throw new Error(`ports taken ${attempt} times:\n${printed}`);
      continue;
    }
    const registrationStore = openStore({ databaseUrl });
    const provider = await buildProvider(config, config.secrets as Secrets, registrationStore);
    const certificate = (name: string) => readFileSync(join(config.certsDir, name), 'utf8');
    const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    };
    return {
      pid: child.pid!,
      urls: {
        browser: `https://localhost:${config.httpsPort}`, partner: `https://localhost:${config.mtlsPort}`,
        public: `https://localhost:${config.gatewayPort}`, admin: `https://localhost:${config.adminPort}`,
      },
      config,
      secrets: { adminToken: variables.ADMIN_TOKEN! },
      certsDir: config.certsDir,
      caPem: certificate('dev-ca.pem'),
      sampleClient: { certificatePem: certificate('sample-client.pem'), privateKeyPem: certificate('sample-client.key') },
      provider,
      output: () => printed,
      exited,
      stop,
      async close() {
        const killer = setTimeout(() => child.kill('SIGKILL'), (config.shutdown.delay + config.shutdown.timeout + 10) * 1000);
        await stop();
        clearTimeout(killer);
        await registrationStore.destroy();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  }
}
