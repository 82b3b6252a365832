import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { migrateSandboxBank } from '../../sandbox/bank/migrate-sandbox-bank.ts';
import { demoEnvironment, runDemo } from '../helpers/demo-process.ts';
import { openIsolatedStore } from '../helpers/isolated-store.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { LEDGER, seedLedger } from '../helpers/sandbox-ledger.ts';
import { storeKind } from '../helpers/store.ts';

/*
 * `npm run demo -- walkthrough`, the scripted partner, as CI runs it: against a server with
 * the sandbox bank as `npm start` has it (its bank core, its APIs in the gateway), in a store of its
 * own so that its catalogue is nobody else's. The demo onboards, registers, gets Alice's approval
 * headlessly, reads through the gateway and pays; the ledger must show the payment, once.
 */

let portcullis: TestPortcullis;
before(async () => {
  const store = await openIsolatedStore();
  await migrateSandboxBank(store.db);
  await seedLedger(store.db);
  portcullis = await startTestPortcullis({ BANK_INTEGRATION: fileURLToPath(new URL('../../sandbox/sandbox-bank.ts', import.meta.url)) }, { store: store.db });
});
after(() => portcullis?.close());

test(`the walkthrough onboards, registers, reads Alice's accounts through the gateway and pays once (${storeKind})`, async () => {
  const { code, output } = await runDemo(demoEnvironment(portcullis), ['walkthrough']);
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
  const pending = await portcullis.db('sandbox_transactions').where({ account_id: LEDGER.current, status: 'Pending' });
  assert.deepEqual(pending.map((row) => BigInt(row.amount_minor)), [-2500n]);
});
