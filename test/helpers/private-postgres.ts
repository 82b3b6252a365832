import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

import { freePort } from './free-port.ts';

/*
 * A PostgreSQL server of a test's own (initdb, pg_ctl), from the machine's PostgreSQL binaries, for
 * the one thing the shared server cannot be used for: restarting it. Every other test file's
 * database lives on the shared server, which must never stop.
 */

const BIN_ROOT = '/usr/lib/postgresql';
// PostgreSQL refuses to run as root; a root test runs it as the `postgres` user Debian's package made.
const SERVER_USER = 'postgres';

/** The newest installed PostgreSQL's bin folder, or undefined when there is none. */
function binaries(): string | undefined {
  if (!existsSync(BIN_ROOT)) return undefined;
  const versions = readdirSync(BIN_ROOT).filter((name) => existsSync(join(BIN_ROOT, name, 'bin', 'initdb'))).sort((x, y) => Number(y) - Number(x));
  return versions[0] ? join(BIN_ROOT, versions[0], 'bin') : undefined;
}

/** Why a private server cannot run here, or false when it can. */
export function privatePostgresUnavailable(): string | false {
  if (!binaries()) return `no PostgreSQL binaries under ${BIN_ROOT}`;
  if (userInfo().uid === 0) {
    try {
      execFileSync('id', ['-u', SERVER_USER], { stdio: 'ignore' });
    } catch {
      return `running as root without a ${SERVER_USER} user to run the server as`;
    }
  }
  return false;
}

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  url: string;
  /** `pg_ctl restart -m fast`: open connections are ended (57P01), new ones refused until it is up again. Never blocks the event loop. */
  restart(): Promise<void>;
  stop(): void;
  close(): void;
}

/** Creates and starts a throwaway server on a free port, trusting local connections, not syncing to disk. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binaries()!;
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-pg-'));
  const asRoot = userInfo().uid === 0;
  const commandOf = (tool: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', SERVER_USER, '--', join(bin, tool), ...args]] : [join(bin, tool), args]);
  const run = (tool: string, args: string[]) => {
    execFileSync(...commandOf(tool, args), { stdio: 'pipe', cwd: dir });
  };
  if (asRoot) {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8' }).trim()));
    chownSync(dir, uid!, gid!);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const pgCtlArgs = (args: string[]) => ['-D', data, '-l', join(dir, 'server.log'), '-o', options, ...args];
  const pgCtl = (...args: string[]) => run('pg_ctl', pgCtlArgs(args));
  pgCtl('-w', 'start');
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart() {
      await promisify(execFile)(...commandOf('pg_ctl', pgCtlArgs(['-w', '-m', 'fast', 'restart'])), { cwd: dir });
    },
    stop() {
      if (running) pgCtl('-w', '-m', 'fast', 'stop');
      running = false;
    },
    close() {
      try {
        if (running) pgCtl('-w', '-m', 'immediate', 'stop');
      } finally {
        running = false;
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
