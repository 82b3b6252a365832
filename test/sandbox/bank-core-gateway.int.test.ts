import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import type { JSONWebKeySet } from 'jose';

import { startBankCore, type BankCore } from '../../sandbox/bank-core/start-bank-core.ts';
import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { OB_ACCOUNT_RESOURCES } from '../../src/gateway/openbanking/ob-account-permissions.ts';
import { OB_PAYMENT_READS, OB_PAYMENT_SUBMISSIONS } from '../../src/gateway/openbanking/ob-payment-resources.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { accountAccessBody, domesticPaymentBody } from '../consent/consent-bodies.ts';
import { addTestApi, ownObBasePath } from '../helpers/gateway-catalogue.ts';
import { obPartner, type ObPartner } from '../helpers/ob-partner.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { LEDGER, openSandboxLedger, type SandboxLedger } from '../helpers/sandbox-ledger.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

/*
 * The bank core as the gateway's Open Banking upstream, end to end: a partner's consented
 * GET /accounts and transactions, and a payment that debits the customer's account, all through
 * the real gateway, which signs the caller's identity for the bank core and forwards where the
 * partner called, so that the bank core's links lead back through the gateway.
 */

const AISP = ownObBasePath('aisp');
const PISP = ownObBasePath('pisp');
let app: TestPortcullis;
let ledger: SandboxLedger;
let core: BankCore;
let partner: ObPartner;

before(async () => {
  app = await startTestPortcullis();
  ledger = await openSandboxLedger();
  const jwks = await (await tlsFetch(app.caPem)(`${app.urls.browser}/jwks`)).json() as JSONWebKeySet;
  core = await startBankCore({ db: ledger.db, identityKeys: jwks, issuer: app.config.issuer, clock: systemClock, logger: createLogger('silent', false) });
  const upstreams = [{ url: core.url, weight: 1 }];
  await addTestApi(app.db, app.events, {
    name: `bank-core-ais-${randomUUID()}`, basePath: AISP, authKind: 'fapi', upstreams,
    routes: [...OB_ACCOUNT_RESOURCES.keys()].map((path) => ({ method: 'GET', path, policy: { scopes: ['accounts'] } })),
  });
  await addTestApi(app.db, app.events, {
    name: `bank-core-pis-${randomUUID()}`, basePath: PISP, authKind: 'fapi', upstreams,
    routes: [...[...OB_PAYMENT_SUBMISSIONS.keys()].map((path) => ({ method: 'POST', path })), ...[...OB_PAYMENT_READS.keys()].map((path) => ({ method: 'GET', path }))].map((route) => ({ ...route, policy: { scopes: ['payments'] } })),
  });
  partner = await obPartner(app);
});
after(async () => {
  await app?.close();
  await core?.close();
  await ledger?.close();
});

test(`through the gateway: the consented accounts and their transactions, then a payment that debits the account (${storeKind})`, async () => {
  const consentBody = accountAccessBody();
  consentBody.Data.TransactionFromDateTime = '2026-01-01T00:00:00+00:00';
  const created = await partner.call('POST', CONSENT_KINDS['account-access'].path, { body: consentBody, token: await partner.token('accounts') });
  assert.equal(created.status, 201, created.text);
  const consentId = created.json.Data.ConsentId as string;
  const { access_token: accounts } = await partner.authorise(consentId, 'accounts', { choices: { [`account:${LEDGER.current}`]: 'yes' } });

  const list = await partner.call('GET', `${AISP}/accounts`, { token: accounts });
  assert.equal(list.status, 200, list.text);
  assertMatchesObSchema('account-info', 'OBReadAccount6', list.json);
  assert.deepEqual(list.json.Data.Account.map((account: { AccountId: string }) => account.AccountId), [LEDGER.current]);
  assert.equal(list.json.Links.Self, `${app.urls.partner}${AISP}/accounts`, 'links lead back through the gateway');

  const transactions = await partner.call('GET', `${AISP}/accounts/${LEDGER.current}/transactions`, { token: accounts });
  assert.equal(transactions.status, 200, transactions.text);
  assertMatchesObSchema('account-info', 'OBReadTransaction6', transactions.json);
  assert.equal(transactions.json.Meta.TotalPages, 3);
  const next = await partner.call('GET', new URL(transactions.json.Links.Next).pathname + new URL(transactions.json.Links.Next).search, { token: accounts });
  assert.equal(next.status, 200, 'the Next link is the partner\'s to follow');
  assert.equal(next.json.Links.Prev, transactions.json.Links.Self);

  const paymentConsent = domesticPaymentBody('40.00');
  const madeConsent = await partner.call('POST', CONSENT_KINDS['domestic-payment'].path, { body: paymentConsent, token: await partner.token('payments'), sign: true });
  assert.equal(madeConsent.status, 201, madeConsent.text);
  const paymentConsentId = madeConsent.json.Data.ConsentId as string;
  const { access_token: payments } = await partner.authorise(paymentConsentId, 'payments', { choices: { debtor: LEDGER.current } });
  const submission = { Data: { ConsentId: paymentConsentId, Initiation: paymentConsent.Data.Initiation }, Risk: paymentConsent.Risk };
  const paid = await partner.call('POST', `${PISP}/domestic-payments`, { body: submission, token: payments, sign: true, headers: { 'x-idempotency-key': randomUUID() } });
  assert.equal(paid.status, 201, paid.text);
  assertMatchesObSchema('payment-initiation', 'OBWriteDomesticResponse5', paid.json);
  assert.equal(paid.json.Data.Status, 'AcceptedSettlementInProcess');
  assert.equal(paid.json.Links.Self, `${app.urls.partner}${PISP}/domestic-payments/${paid.json.Data.DomesticPaymentId}`);

  const balances = await partner.call('GET', `${AISP}/accounts/${LEDGER.current}/balances`, { token: accounts });
  assert.equal(balances.status, 200, balances.text);
  assert.equal(balances.json.Data.Balance.find((balance: { Type: string }) => balance.Type === 'InterimAvailable').Amount.Amount, '1210.75', 'the payment is off the available balance at once');
  const read = await partner.call('GET', `${PISP}/domestic-payments/${paid.json.Data.DomesticPaymentId}`, { token: await partner.token('payments') });
  assert.equal(read.status, 200, read.text);
  assertMatchesObSchema('payment-initiation', 'OBWriteDomesticResponse5', read.json);
});
