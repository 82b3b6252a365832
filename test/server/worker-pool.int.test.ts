import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { freePort } from '../helpers/free-port.ts';
import { TEST_KEY_ENCRYPTION_KEY } from '../helpers/portcullis.ts';
import { storeKind } from '../helpers/store.ts';

/*
 * `WORKERS=2 npm start`: a primary supervising two worker processes that share every listener's
 * port; it prints the summary once, both workers answer, and SIGTERM stops them all cleanly.
 * Several workers need a PostgreSQL server (the embedded store is one process's).
 */

const skip = storeKind !== 'postgresql' && 'several workers need DATABASE_URL';
const workDir = mkdtempSync(join(tmpdir(), 'portcullis-workers-'));
let primary: ChildProcess | undefined;
after(() => {
  primary?.kill('SIGKILL');
  rmSync(workDir, { recursive: true, force: true });
});

test('two workers share the ports, the summary is printed once, and SIGTERM stops every process', { skip, timeout: 120_000 }, async () => {
  const ports = { HTTPS_PORT: await freePort(), MTLS_PORT: await freePort(), GATEWAY_PORT: await freePort(), ADMIN_PORT: await freePort() };
  const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])), WORKERS: '2', LOG_LEVEL: 'warn', NODE_ENV: 'test',
    // The suite's database holds the suite's signing keys, sealed under its key-encryption key.
    KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY, DATA_DIR: join(workDir, 'data'), CERTS_DIR: join(workDir, 'certs') };
  primary = spawn(process.execPath, ['src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  primary.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  primary.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const started = Date.now();
  while (!output.includes('Portcullis is running')) {
    assert.ok(Date.now() - started < 100_000, `no summary yet:\n${output}`);
    assert.equal(primary.exitCode, null, `the primary exited:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.match(output, /Portcullis is running \(roles: auth, gateway, portal, console; 2 worker processes\)/);
  assert.equal(output.split('Portcullis is running').length, 2, 'printed once');

  const workers = execFileSync('pgrep', ['-P', String(primary.pid)], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(workers.length, 2);
  // New connections each time: the cluster hands them to either worker; every one is answered.
  for (let call = 0; call < 6; call += 1) {
    const status = execFileSync('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', `https://localhost:${ports.GATEWAY_PORT}/healthz`], { encoding: 'utf8' });
    assert.equal(status, '200');
  }

  const exited = once(primary, 'exit');
  primary.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0);
  for (const pid of workers) assert.throws(() => process.kill(Number(pid), 0), 'every worker is gone');
});
