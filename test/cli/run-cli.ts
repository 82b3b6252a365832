import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';

import { childProcessEnv } from '../helpers/child-process-env.ts';
import { createIsolatedSchema } from '../helpers/isolated-store.ts';
import { pgliteTemplatePath } from '../helpers/pglite-template.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = join(ROOT, 'node_modules/.bin/node');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A private place for the CLI to keep its store, secrets and certificates. */
export interface CliWorkspace {
  dir: string;
  /** The environment every run gets: DATA_DIR, CERTS_DIR, NODE_ENV=test (and DATABASE_URL on PostgreSQL). */
  env: Record<string, string>;
  /** Runs `node src/cli/index.ts ...args` in a child process, as `npm run cli -- ...args` does. */
  run(args: string[], env?: Record<string, string>): Promise<CliResult>;
}

/**
 * A fresh workspace, removed by the cleanup it registers with `after` (a test's `t.after`, or the
 * file's `after` for a workspace its tests share). On PGlite the CLI keeps its database under
 * DATA_DIR; when the suite runs on PostgreSQL it gets an empty schema of its own instead, so that
 * its keys and clients are no other test's business.
 */
export async function cliWorkspace(after: (cleanup: () => Promise<void> | void) => void): Promise<CliWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const env: Record<string, string> = { ...childProcessEnv(), DATA_DIR: join(dir, 'data'), CERTS_DIR: join(dir, 'certs'), NODE_ENV: 'test' };
  if (process.env.DATABASE_URL) {
    const schema = await createIsolatedSchema(process.env.DATABASE_URL);
    after(() => schema.drop());
    env['DATABASE_URL'] = schema.databaseUrl;
  }
  return {
    dir,
    env,
    run: (args, extra = {}) => runCli(args, { ...env, ...extra }),
  };
}

/** Runs the CLI (or another, e.g. `sandbox/cli/index.ts`) with exactly `env` (nothing inherited), and never rejects: the exit code is the result (-1 when killed after `timeoutMs`). */
export function runCli(args: string[], env: Record<string, string>, script = 'src/cli/index.ts', timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(NODE, [script, ...args], { cwd: ROOT, env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A fresh workspace whose store is migrated already. On PGlite its data folder is unpacked from
 * the run's migrated template (a copy of what `migrate` would write, in a fraction of its time:
 * PGlite's first start runs initdb and every migration); on PostgreSQL `migrate` runs.
 */
export async function migratedCliWorkspace(after: (cleanup: () => Promise<void> | void) => void): Promise<CliWorkspace> {
  const workspace = await cliWorkspace(after);
  const template = pgliteTemplatePath('empty');
  if (!workspace.env['DATABASE_URL'] && template) {
    const folder = join(workspace.env['DATA_DIR']!, 'pglite');
    mkdirSync(folder, { recursive: true });
    execFileSync('tar', ['-xf', template, '-C', folder], { stdio: 'ignore' });
    return workspace;
  }
  const migrated = await workspace.run(['migrate']);
  if (migrated.code !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);
  return workspace;
}

/**
 * One migrated workspace shared by a test file's tests, made before the first and removed after
 * the last; each test keeps to ids of its own. Returns its getter.
 */
export function sharedMigratedWorkspace(): () => CliWorkspace {
  let workspace: CliWorkspace | undefined;
  const cleanups: Array<() => unknown> = [];
  before(async () => {
    workspace = await migratedCliWorkspace((cleanup) => cleanups.push(cleanup));
  });
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });
  return () => workspace!;
}
