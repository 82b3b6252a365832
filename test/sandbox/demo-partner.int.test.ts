import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';

import { CustomerBrowser } from '../helpers/customer-browser.ts';
import { freePort } from '../helpers/free-port.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

/*
 * The README's partner walkthrough, as a partner runs it: `npm run demo -- register`, then
 * `npm run demo -- consent accounts`, a customer through the printed link, and `revoke`. The demo
 * runs as its own process against a running Portcullis, found through the same environment.
 */

let portcullis: TestPortcullis;
let env: NodeJS.ProcessEnv;
before(async () => {
  portcullis = await startTestPortcullis();
  env = {
    ...process.env,
    DATA_DIR: portcullis.config.dataDir,
    CERTS_DIR: portcullis.config.certsDir,
    HTTPS_PORT: String(portcullis.config.httpsPort),
    MTLS_PORT: String(portcullis.config.mtlsPort),
  };
});
after(() => portcullis?.close());

/** Runs a demo command; `onOutput` sees stdout as it grows. Resolves with the exit code and the whole output. */
function demo(args: string[], onOutput: (soFar: string) => void = () => {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['sandbox/demo-partner/index.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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

test('register, take a customer through an account access consent, then revoke it', async () => {
  const port = await freePort();
  const registered = await demo(['register', '--port', String(port)]);
  assert.equal(registered.code, 0, registered.output);
  assert.match(registered.output, new RegExp(`https://localhost:${port}/callback`));

  let customer: Promise<void> | undefined;
  const consent = await demo(['consent', 'accounts'], (soFar) => {
    const start = /https:\/\/localhost:\d+\/start/.exec(soFar);
    if (!start || customer) return;
    const browser = new CustomerBrowser(tlsFetch(portcullis.caPem), [portcullis.urls.browser]);
    customer = browser.authorize(new URL(start[0]), { username: 'alice', password: 'alice-sandbox-pass' })
      .then(async (callback) => {
        await (await tlsFetch(portcullis.caPem)(callback.href)).text();
      });
  });
  await customer;
  assert.equal(consent.code, 0, consent.output);
  const consentId = /openbanking_intent_id: (aac-[\w-]+)/.exec(consent.output)?.[1];
  assert.ok(consentId, consent.output);
  assert.match(consent.output, /"Status": "Authorised"/);

  const revoked = await demo(['revoke', consentId]);
  assert.equal(revoked.code, 0, revoked.output);
  assert.match(revoked.output, /"Status": "Revoked"/);
});

test('usage mistakes exit 64 with the usage text', async () => {
  const unknown = await demo(['launch']);
  assert.equal(unknown.code, 64);
  assert.match(unknown.output, /Usage: npm run demo/);
});
