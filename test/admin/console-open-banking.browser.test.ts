/**
 * Revoking a consent from the ops console, in a real Chromium: a customer authorised a partner's
 * account access consent (the real sign-in and consent pages) and the partner reads her accounts
 * through the gateway; an operator looks at the partners (one with certificates ending soon: its
 * key's, and the transport certificate it registered with over mutual TLS), finds the consent by
 * the customer's username, reads its history and revokes it; the partner's next call through the
 * gateway is refused within a second. Each page with a screenshot and an accessibility check.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';

import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { accountAccessBody } from '../consent/consent-bodies.ts';
import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { insertOperator, signInOnPage } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi, ownObBasePath } from '../helpers/gateway-catalogue.ts';
import { ACCOUNTS, startObBankUpstream } from '../helpers/ob-bank-upstream.ts';
import { obPartner, type ObPartner } from '../helpers/ob-partner.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import type { UpstreamServer } from '../helpers/upstream-server.ts';
import { registerWithStatement, transportCertificate } from '../helpers/open-banking-fixtures.ts';

const AISP = ownObBasePath('aisp');
let portcullis: TestPortcullis;
let bank: UpstreamServer;
let partner: ObPartner;

before(async () => {
  bank = await startObBankUpstream();
  portcullis = await startTestPortcullis();
  partner = await obPartner(portcullis);
  await addTestApi(portcullis.db, portcullis.events, {
    name: `accounts-${randomUUID()}`, basePath: AISP, authKind: 'fapi', upstreams: [{ url: bank.url, weight: 1 }],
    routes: [{ method: 'GET', path: '/accounts', policy: { scopes: ['accounts'] } }],
  });
  // Registered over mutual TLS with a transport certificate ending within 30 days too (its key's ends sooner).
  const softwareId = `ledgerly-${randomUUID().slice(0, 8)}`;
  await registerWithStatement(portcullis, { softwareId, clientName: 'Ledgerly', orgId: 'org-ledgerly', orgName: 'Ledgerly Ltd' }, 12,
    transportCertificate(portcullis, { commonName: softwareId, organizationName: 'Ledgerly Ltd' }, 20));
});
after(async () => {
  await portcullis?.close();
  await bank?.close();
});

browserTest('revoke a consent: an operator finds it by customer, sees its history, revokes it, and the partner\'s next call is refused', {}, async (page) => {
  const created = await partner.call('POST', CONSENT_KINDS['account-access'].path, { body: accountAccessBody(), token: await partner.token('accounts') });
  assert.equal(created.status, 201, created.text);
  const consentId: string = created.json.Data.ConsentId;
  const { access_token: token } = await partner.authorise(consentId, 'accounts', { choices: { [`account:${ACCOUNTS.current}`]: 'yes' } });
  const accounts = () => partner.call('GET', `${AISP}/accounts`, { token });
  assert.equal((await accounts()).status, 200, 'the partner reads Alice\'s account');

  const operator = await insertOperator(portcullis.db, portcullis.secrets, { role: 'operator', name: 'Grace Hopper' });
  await page.goto(`${portcullis.urls.browser}/console/open-banking`);
  await signInOnPage(page, operator);

  await page.getByRole('heading', { level: 1, name: 'Open Banking partners' }).waitFor();
  // Newest first: on a store other files share, an older Ledgerly may be listed further down.
  assert.match((await page.getByRole('row', { name: /Ledgerly/ }).first().textContent())!, /A certificate expires/);
  await saveScreenshot(page, 'console/open-banking-clients');
  await page.getByRole('link', { name: 'Ledgerly', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: /Ledgerly/ }).waitFor();
  assert.match((await page.locator('.ob-cert-notice').textContent())!, /A registered certificate expires/);
  const presented = page.getByRole('table', { name: 'Transport certificates presented' }).getByRole('row', { name: /Ledgerly Ltd/ });
  assert.match((await presented.textContent())!, /Within 30 days/);
  await page.getByText(/claims the directory signed/).click();
  await saveScreenshot(page, 'console/open-banking-client');

  await page.goto(`${portcullis.urls.browser}/console/open-banking/consents`);
  await page.getByLabel('Customer').fill('alice');
  await page.getByLabel('Partner').selectOption(partner.clientId);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('status').filter({ hasText: '1 consent match.' }).waitFor();
  await saveScreenshot(page, 'console/consents');
  await page.getByRole('link', { name: consentId }).click();

  await page.getByRole('heading', { level: 1, name: /Account access consent/ }).waitFor();
  const history = page.getByRole('list', { name: 'Status history' }).getByRole('listitem');
  assert.deepEqual((await history.allTextContents()).map((item) => item.replace(/\s+/g, ' ').trim().split(' ')[0]), ['Awaiting', 'Authorised']);
  await page.getByRole('button', { name: 'Revoke the consent' }).click();
  await page.getByRole('status').filter({ hasText: 'The consent has been revoked' }).waitFor();
  assert.equal(await history.count(), 3);
  assert.match((await history.last().textContent())!, /Revoked[\s\S]*Bank operations: revoked by bank operations \(Grace Hopper\)/);
  await saveScreenshot(page, 'console/consent');

  await eventually(async () => (await accounts()).status === 401, { withinMs: 1_000, what: 'the partner\'s next call through the gateway refused' });
});
