import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { unzipSync } from 'fflate';

import { CustomerBrowser } from '../helpers/customer-browser.ts';
import { demoEnvironment, runDemo } from '../helpers/demo-process.ts';
import { freePort } from '../helpers/free-port.ts';
import { openIsolatedStore } from '../helpers/isolated-store.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { LEDGER } from '../helpers/sandbox-ledger.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

/*
 * The README's partner walkthrough, as a partner runs it: `npm run demo -- register`, then
 * `npm run demo -- consent accounts`, a customer through the printed link, and `revoke`; and the
 * same with the partner's own software, from the bundle the sandbox directory's onboarding API
 * gives (`--config`); and `walkthrough`, all of it scripted, as CI runs the demo. The demo
 * runs as its own process against a running Portcullis, found through the same environment.
 */

let portcullis: TestPortcullis;
let env: NodeJS.ProcessEnv;
before(async () => {
  // The sandbox bank as npm start has it (its bank core, its APIs in the gateway), in a store of
  // this file's own, so that its catalogue is nobody else's.
  const store = await openIsolatedStore();
  portcullis = await startTestPortcullis({ BANK_INTEGRATION: fileURLToPath(new URL('../../sandbox/sandbox-bank.ts', import.meta.url)) }, { store: store.db });
  env = demoEnvironment(portcullis);
});
after(() => portcullis?.close());

const demo = (args: string[], onOutput?: (soFar: string) => void) => runDemo(env, args, onOutput);

/** Runs `consent accounts` (with `options` first), taking Alice through the bank's pages when the demo prints its link. */
async function consentToAccounts(options: string[] = []) {
  let customer: Promise<void> | undefined;
  const consent = await demo([...options, 'consent', 'accounts'], (soFar) => {
    const start = /https:\/\/localhost:\d+\/start/.exec(soFar);
    if (!start || customer) return;
    const browser = new CustomerBrowser(tlsFetch(portcullis.caPem), [portcullis.urls.browser]);
    customer = browser.authorize(new URL(start[0]), { username: 'alice', password: 'alice-sandbox-pass' })
      .then(async (callback) => {
        await (await tlsFetch(portcullis.caPem)(callback.href)).text();
      });
  });
  await customer;
  return consent;
}

test('register, take a customer through an account access consent, then revoke it', async () => {
  const port = await freePort();
  const registered = await demo(['register', '--port', String(port)]);
  assert.equal(registered.code, 0, registered.output);
  assert.match(registered.output, new RegExp(`https://localhost:${port}/callback`));

  const consent = await consentToAccounts();
  assert.equal(consent.code, 0, consent.output);
  const consentId = /openbanking_intent_id: (aac-[\w-]+)/.exec(consent.output)?.[1];
  assert.ok(consentId, consent.output);
  assert.match(consent.output, /"Status": "Authorised"/);
  assert.match(consent.output, /through the gateway: GET \/open-banking\/v3\.1\/aisp\/accounts\n\{[\s\S]*"AccountId": "acc-0001-current"/);

  const revoked = await demo(['revoke', consentId]);
  assert.equal(revoked.code, 0, revoked.output);
  assert.match(revoked.output, /"Status": "Revoked"/);
});

/** Signs an organisation up with the onboarding API, creates a software statement and unzips its bundle into `dir`; returns the configuration file. */
async function onboard(dir: string, redirectUri: string): Promise<{ configFile: string; softwareId: string }> {
  const fetchTls = tlsFetch(portcullis.caPem);
  const api = `${portcullis.urls.browser}/sandbox/directory/v1/organisations`;
  const post = async (url: string, body: unknown, token?: string) => (await fetchTls(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).json() as Promise<Record<string, string>>;
  const organisation = await post(api, { name: 'Own Software Ltd', contact_email: 'dev@own.example' });
  const software = await post(`${api}/${organisation['organisation_id']}/software-statements`, { client_name: 'Own App', roles: ['AISP'], redirect_uris: [redirectUri] }, organisation['token']);
  const zip = await fetchTls(`${api}/${organisation['organisation_id']}/software-statements/${software['software_id']}/bundle`, { headers: { authorization: `Bearer ${organisation['token']}` } });
  for (const [name, content] of Object.entries(unzipSync(new Uint8Array(await zip.arrayBuffer())))) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return { configFile: join(dir, `sandbox-${software['software_id']}`, 'demo-partner.config.json'), softwareId: software['software_id']! };
}

test('acts as the partner\'s own software with --config: registers with its bundle and takes a customer through a consent', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'portcullis-bundle-'));
  try {
    const { configFile, softwareId } = await onboard(dir, `https://localhost:${await freePort()}/callback`);
    const registered = await demo(['--config', configFile, 'register']);
    assert.equal(registered.code, 0, registered.output);
    assert.match(registered.output, /Registered "Own App"/);
    assert.match(registered.output, new RegExp(`software        SBX\\w+/${softwareId}, roles AISP`));
    assert.match(registered.output, /transport\.pem/);

    const consent = await consentToAccounts(['--config', configFile]);
    assert.equal(consent.code, 0, consent.output);
    assert.match(consent.output, /"Status": "Authorised"/);
    assert.match(consent.output, /through the gateway: GET \/open-banking\/v3\.1\/aisp\/accounts\n\{[\s\S]*"AccountId": "acc-0001-current"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test(`the walkthrough onboards, registers, reads Alice's accounts through the gateway and pays once (${storeKind})`, async () => {
  // `npm run sandbox -- demo`, the command; `npm run demo -- walkthrough` runs the same.
  const { code, output } = await runDemo(env, ['demo'], undefined, 'sandbox/cli/index.ts');
  assert.equal(code, 0, output);
  for (const step of [1, 2, 3, 4, 5, 6]) assert.match(output, new RegExp(`== Step ${step}: `));
  assert.match(output, /GET \/open-banking\/v3\.1\/aisp\/accounts\n\{/);
  assert.match(output, /"AccountId": "acc-0001-current"/);
  assert.match(output, /"Type": "InterimAvailable"/);
  assert.match(output, /"Status": "AcceptedSettlementInProcess"/);

  const consentId = /"ConsentId": "(pdc-[\w-]+)"/.exec(output.slice(output.indexOf('== Step 6')))?.[1];
  assert.ok(consentId, output);
  const payments = await portcullis.db('sandbox_payments').where({ consent_id: consentId });
  assert.equal(payments.length, 1);
  assert.equal(payments[0].account_id, LEDGER.current);
  const debit = await portcullis.db('sandbox_transactions').where({ transaction_id: payments[0].transaction_id }).first();
  assert.equal(debit.account_id, LEDGER.current);
  assert.equal(BigInt(debit.amount_minor), -2500n);
});

test('usage mistakes exit 64 with the usage text', async () => {
  const unknown = await demo(['launch']);
  assert.equal(unknown.code, 64);
  assert.match(unknown.output, /Usage: npm run demo/);
  const both = await demo(['--config', 'bundle/demo-partner.config.json', 'register', '--port', '9000']);
  assert.equal(both.code, 64);
  assert.match(both.output, /--port goes without --config/);
});
