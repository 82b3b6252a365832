/**
 * The console's audit section in a real Chromium: a viewer searches the log, opens an admin
 * change with its before and after, verifies the chain (whole), then a row is changed behind the
 * log's back (as a DBA could, past the append-only triggers) and the verification points at it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';

import { createAuditLog } from '../../src/audit/audit-log.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { capturedLogger } from '../helpers/captured-logger.ts';
import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { insertOperator, signInOnPage } from '../helpers/console-browser.ts';
import { openIsolatedStore, type IsolatedStore } from '../helpers/isolated-store.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

// The journey tampers with committed rows: a store of this file's own, so no other file's chain breaks.
let store: IsolatedStore;
let portcullis: TestPortcullis;
const tag = randomUUID().slice(0, 6);
const partner = `acme-fintech-${tag}`;

before(async () => {
  store = await openIsolatedStore();
  portcullis = await startTestPortcullis({ ROLES: 'console' }, { store: store.db });
  const audit = createAuditLog({ db: portcullis.db, clock: systemClock, logger: capturedLogger().logger, batchSize: 100, flushIntervalMs: 60_000, queueLimit: 1000 });
  const at = (minute: number) => new Date(Date.now() - (60 - minute) * 60_000);
  const call = { kind: 'call', actor: partner, apiId: 'ob-accounts-v3', clientId: partner, customerId: `cust-${tag}`, consentId: `aac-${tag}`, status: 200 } as const;
  audit.record({ ...call, action: 'GET /open-banking/v3.1/aisp/accounts', route: '/accounts', at: at(10), payload: { phase: 'answered', bodies: { response: { Data: { Account: [{ AccountId: '22289', Currency: 'GBP' }] } } } } });
  audit.record({ ...call, action: 'GET /open-banking/v3.1/aisp/accounts/{AccountId}/balances', route: '/accounts/{AccountId}/balances', at: at(12), payload: { phase: 'answered', params: { AccountId: '22289' } } });
  audit.record({ kind: 'admin', action: 'POST /admin/v1/applications/{applicationId}/suspend', actor: 'operator:op-grace', applicationId: `app-${tag}`, status: 303, at: at(20), payload: { params: { applicationId: `app-${tag}` }, request: null, before: { id: `app-${tag}`, name: 'Budget Buddy', status: 'active' }, after: { id: `app-${tag}`, name: 'Budget Buddy', status: 'suspended' } } });
  audit.record({ kind: 'event', action: 'consent.status_changed', actor: 'customer', consentId: `aac-${tag}`, customerId: `cust-${tag}`, at: at(30), payload: { consentId: `aac-${tag}`, from: 'Authorised', to: 'Revoked' } });
  await audit.close();
});
after(async () => {
  await portcullis?.close();
  await store?.close();
});

/** Changes a committed row as a DBA could: past the append-only triggers with DDL. */
async function tamper(sql: string, bindings: readonly string[]): Promise<void> {
  await portcullis.db.transaction(async (trx) => {
    await trx.raw('alter table audit_log disable trigger user');
    await trx.raw(sql, bindings);
    await trx.raw('alter table audit_log enable trigger user');
  });
}

browserTest('a viewer verifies the audit chain, then a row is tampered with and the verification fails, pointing at it', {}, async (page) => {
  const viewer = await insertOperator(portcullis.db, portcullis.secrets, { role: 'viewer', name: 'Ada Auditor' });
  await page.goto(`${portcullis.urls.browser}/console/sign-in`);
  await signInOnPage(page, viewer);
  await page.getByRole('heading', { level: 1, name: 'The API programme today' }).waitFor();

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  await page.getByLabel('Consent').fill(`aac-${tag}`);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText('Entries matching the search, newest first.').waitFor();
  assert.equal(await page.locator('table.audit-entries tbody tr').count(), 3, 'two calls and the revocation');
  await page.getByLabel('Consent').fill('');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText('Every entry, newest first.').waitFor();
  await saveScreenshot(page, 'console/audit');

  await page.getByRole('link', { name: 'POST /admin/v1/applications/{applicationId}/suspend' }).click();
  await page.getByRole('heading', { level: 2, name: 'The change' }).waitFor();
  assert.match((await page.getByRole('region', { name: 'Before' }).textContent())!, /"status": "active"/);
  assert.match((await page.getByRole('region', { name: 'After' }).textContent())!, /"status": "suspended"/);
  const seq = Number((await page.getByRole('heading', { level: 1 }).textContent())!.replace('Audit entry ', ''));
  await saveScreenshot(page, 'console/audit-entry');

  await page.getByRole('link', { name: 'Audit log' }).first().click();
  await page.getByRole('button', { name: 'Verify the chain' }).click();
  await page.getByRole('heading', { level: 1, name: 'The audit chain is whole' }).waitFor();
  assert.match((await page.getByRole('status').textContent())!, /entries checked: no entry was changed, removed or inserted/);
  await saveScreenshot(page, 'console/audit-verified');

  await tamper('update audit_log set payload = jsonb_set(payload, \'{after,status}\', \'"active"\') where seq = ?', [String(seq)]);
  try {
    await page.getByRole('link', { name: 'Verify again from the start' }).click();
    await page.getByRole('heading', { level: 1, name: 'The audit chain is broken' }).waitFor();
    assert.match((await page.getByRole('alert').textContent())!, /1 problem/);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: String(seq), exact: true }) });
    assert.match((await row.textContent())!, new RegExp(`Changed\\s*entry ${seq} was changed: its hash does not match its contents`));
    await saveScreenshot(page, 'console/audit-tampered');
  } finally {
    await tamper('update audit_log set payload = jsonb_set(payload, \'{after,status}\', \'"suspended"\') where seq = ?', [String(seq)]);
  }
});
