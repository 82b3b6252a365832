import { spawn } from 'node:child_process';

import type { TestPortcullis } from './portcullis.ts';

/** The environment `npm run demo` finds a test instance through, as a partner's shell would hold it for `npm start`. */
export function demoEnvironment(portcullis: TestPortcullis): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: portcullis.config.dataDir,
    CERTS_DIR: portcullis.config.certsDir,
    HTTPS_PORT: String(portcullis.config.httpsPort),
    MTLS_PORT: String(portcullis.config.mtlsPort),
  };
}

/**
 * Runs a demo command as its own process (`npm run demo`, or `script`: `npm run sandbox`'s);
 * `onOutput` sees stdout as it grows. Resolves with the exit code and the whole output.
 */
export function runDemo(env: NodeJS.ProcessEnv, args: string[], onOutput: (soFar: string) => void = () => {}, script = 'sandbox/demo-partner/index.ts'): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      onOutput(output);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
