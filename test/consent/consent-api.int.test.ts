import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import * as oc from 'openid-client';

import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { listStatusHistory } from '../../src/consent/consent.store.ts';
import { discover, registerKeyClient } from '../helpers/partner-client.ts';
import { obPartner, verifyBankSignature, type ObAnswer, type ObPartner } from '../helpers/ob-partner.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import type { ObPermission } from '../../src/openbanking/ob-vocabulary.ts';
import { accountAccessBody, domesticPaymentBody, fundsConfirmationBody, scheduledPaymentBody, standingOrderBody } from './consent-bodies.ts';

const AIS = CONSENT_KINDS['account-access'].path;
const PIS = CONSENT_KINDS['domestic-payment'].path;
const CBPII = CONSENT_KINDS['funds-confirmation'].path;

let portcullis: TestPortcullis;
let partner: ObPartner;
let tokens: Record<'accounts' | 'payments' | 'fundsconfirmations', string>;

before(async () => {
  portcullis = await startTestPortcullis();
  partner = await obPartner(portcullis);
  tokens = { accounts: await partner.token('accounts'), payments: await partner.token('payments'), fundsconfirmations: await partner.token('fundsconfirmations') };
});
after(() => portcullis?.close());

/** Asserts an OBErrorResponse1 with this status and these error codes (and paths, where given). */
function assertObError(answer: ObAnswer, status: number, errors: Array<{ code: string; path?: string }>): void {
  assert.equal(answer.status, status, answer.text);
  assertMatchesObSchema('account-info', 'OBErrorResponse1', answer.json);
  assert.deepEqual(answer.json.Errors.map((error: { ErrorCode: string }) => error.ErrorCode), errors.map((error) => error.code));
  errors.forEach((error, index) => {
    if (error.path) assert.equal(answer.json.Errors[index].Path, error.path);
  });
  assert.match(answer.headers.get('x-fapi-interaction-id') ?? '', /^[0-9a-f-]{36}$/);
}

describe('account access consents', () => {
  test('POST creates a consent awaiting authorisation; GET reads it; both in the spec shape', async () => {
    const interactionId = randomUUID();
    const body = accountAccessBody();
    const created = await partner.call('POST', AIS, { body, token: tokens.accounts, headers: { 'x-fapi-interaction-id': interactionId } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('x-fapi-interaction-id'), interactionId);
    assert.equal(created.headers.get('cache-control'), 'no-store');
    assertMatchesObSchema('account-info', 'OBReadConsentResponse1', created.json);
    const data = created.json.Data;
    assert.match(data.ConsentId, /^aac-/);
    assert.equal(data.Status, 'AwaitingAuthorisation');
    assert.deepEqual(data.Permissions, body.Data.Permissions);
    assert.deepEqual(Object.keys(data), ['ConsentId', 'CreationDateTime', 'Status', 'StatusUpdateDateTime', ...Object.keys(body.Data)], 'the request is echoed as sent, in its order');
    assert.deepEqual(Object.keys(created.json), ['Data', 'Risk', 'Links', 'Meta']);
    assert.equal(data.ExpirationDateTime, body.Data.ExpirationDateTime);
    assert.equal(created.json.Links.Self, `${portcullis.config.mtlsBaseUrl}${AIS}/${data.ConsentId}`);

    const read = await partner.call('GET', `${AIS}/${data.ConsentId}`, { token: tokens.accounts });
    assert.equal(read.status, 200);
    assert.deepEqual(read.json, created.json);
  });

  test('DELETE of a consent nobody authorised makes it Rejected, with the change in its history; a second DELETE is refused', async () => {
    const created = await partner.call('POST', AIS, { body: accountAccessBody(), token: tokens.accounts });
    const id = created.json.Data.ConsentId;
    const deleted = await partner.call('DELETE', `${AIS}/${id}`, { token: tokens.accounts });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, '');
    const read = await partner.call('GET', `${AIS}/${id}`, { token: tokens.accounts });
    assert.equal(read.json.Data.Status, 'Rejected');
    assert.ok(Date.parse(read.json.Data.StatusUpdateDateTime) >= Date.parse(read.json.Data.CreationDateTime));
    const history = await listStatusHistory(portcullis.db, id);
    assert.deepEqual(history.map((change) => [change.status, change.actor]), [['AwaitingAuthorisation', 'partner'], ['Rejected', 'partner']]);

    assertObError(await partner.call('DELETE', `${AIS}/${id}`, { token: tokens.accounts }), 400, [{ code: 'UK.OBIE.Resource.InvalidConsentStatus' }]);
  });

  test('the same idempotency key and body answers the same consent; another body under the key is refused', async () => {
    const key = randomUUID();
    const body = accountAccessBody();
    const first = await partner.call('POST', AIS, { body, token: tokens.accounts, headers: { 'x-idempotency-key': key } });
    const reordered = { Risk: {}, Data: { ...body.Data } };
    const second = await partner.call('POST', AIS, { body: reordered, token: tokens.accounts, headers: { 'x-idempotency-key': key } });
    assert.equal(second.status, 201);
    assert.equal(second.json.Data.ConsentId, first.json.Data.ConsentId);

    const other = accountAccessBody();
    other.Data.Permissions = ['ReadAccountsBasic'];
    assertObError(await partner.call('POST', AIS, { body: other, token: tokens.accounts, headers: { 'x-idempotency-key': key } }), 400, [{ code: 'UK.OBIE.Header.Invalid', path: 'x-idempotency-key' }]);
  });

  test('concurrent requests with one idempotency key make one consent', async () => {
    const key = randomUUID();
    const body = accountAccessBody();
    const answers = await Promise.all([1, 2, 3].map(() => partner.call('POST', AIS, { body, token: tokens.accounts, headers: { 'x-idempotency-key': key } })));
    assert.deepEqual(answers.map((answer) => answer.status), [201, 201, 201]);
    assert.equal(new Set(answers.map((answer) => answer.json.Data.ConsentId)).size, 1);
  });

  test('idempotency key malformed', async () => {
    assertObError(await partner.call('POST', AIS, { body: accountAccessBody(), token: tokens.accounts, headers: { 'x-idempotency-key': 'x'.repeat(41) } }), 400, [{ code: 'UK.OBIE.Header.Invalid', path: 'x-idempotency-key' }]);
    assertObError(await partner.call('POST', CBPII, { body: fundsConfirmationBody(), token: tokens.fundsconfirmations, headers: { 'x-idempotency-key': 'y'.repeat(41) } }), 400, [{ code: 'UK.OBIE.Header.Invalid', path: 'x-idempotency-key' }]);
  });

  test('account access and funds confirmation consents need no idempotency key (v3.1.11 lists it on payment consents only)', async () => {
    const first = await partner.call('POST', AIS, { body: accountAccessBody(), token: tokens.accounts, headers: { 'x-idempotency-key': '' } });
    const second = await partner.call('POST', AIS, { body: accountAccessBody(), token: tokens.accounts, headers: { 'x-idempotency-key': '' } });
    assert.equal(first.status, 201, first.text);
    assert.equal(second.status, 201, second.text);
    assert.notEqual(first.json.Data.ConsentId, second.json.Data.ConsentId, 'without a key, each POST is a new consent');
    const funds = await partner.call('POST', CBPII, { body: fundsConfirmationBody(), token: tokens.fundsconfirmations, headers: { 'x-idempotency-key': '' } });
    assert.equal(funds.status, 201, funds.text);
  });

  test('payment consents still require an idempotency key', async () => {
    const body = JSON.stringify(domesticPaymentBody());
    const missing = await partner.call('POST', PIS, { rawBody: body, sign: true, token: tokens.payments, headers: { 'x-idempotency-key': '' } });
    assertObError(missing, 400, [{ code: 'UK.OBIE.Header.Missing', path: 'x-idempotency-key' }]);
  });

  test('malformed bodies: not JSON, wrong content type, schema violations, broken rules', async () => {
    assertObError(await partner.call('POST', AIS, { rawBody: '{"Data":', token: tokens.accounts }), 400, [{ code: 'UK.OBIE.Resource.InvalidFormat' }]);
    assertObError(await partner.call('POST', AIS, { rawBody: 'Data=1', token: tokens.accounts, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, [{ code: 'UK.OBIE.Header.Invalid', path: 'Content-Type' }]);
    assertObError(await partner.call('POST', AIS, { body: { Risk: {} }, token: tokens.accounts }), 400, [{ code: 'UK.OBIE.Field.Missing', path: 'Data' }]);
    assertObError(await partner.call('POST', AIS, { body: accountAccessBody(), token: tokens.accounts, headers: { accept: 'application/xml' } }), 406, [{ code: 'UK.OBIE.Header.Invalid', path: 'Accept' }]);

    const unknownPermission = accountAccessBody();
    // Not a permission the spec knows: what a partner's untyped client may send.
    unknownPermission.Data.Permissions = ['ReadAccountsBasic', 'ReadEverything' as ObPermission];
    assertObError(await partner.call('POST', AIS, { body: unknownPermission, token: tokens.accounts }), 400, [{ code: 'UK.OBIE.Field.Invalid', path: 'Data.Permissions[1]' }]);

    const badDate = accountAccessBody();
    badDate.Data.ExpirationDateTime = 'next tuesday';
    assertObError(await partner.call('POST', AIS, { body: badDate, token: tokens.accounts }), 400, [{ code: 'UK.OBIE.Field.InvalidDate', path: 'Data.ExpirationDateTime' }]);

    const expired = accountAccessBody();
    expired.Data.ExpirationDateTime = new Date(Date.now() - 60_000).toISOString();
    assertObError(await partner.call('POST', AIS, { body: expired, token: tokens.accounts }), 400, [{ code: 'UK.OBIE.Field.InvalidDate', path: 'Data.ExpirationDateTime' }]);

    const unpaired = accountAccessBody();
    unpaired.Data.Permissions = ['ReadAccountsBasic', 'ReadTransactionsDetail'];
    assertObError(await partner.call('POST', AIS, { body: unpaired, token: tokens.accounts }), 400, [{ code: 'UK.OBIE.Field.Invalid', path: 'Data.Permissions' }]);

    const reversed = accountAccessBody();
    [reversed.Data.TransactionFromDateTime, reversed.Data.TransactionToDateTime] = [reversed.Data.TransactionToDateTime, reversed.Data.TransactionFromDateTime];
    assertObError(await partner.call('POST', AIS, { body: reversed, token: tokens.accounts }), 400, [{ code: 'UK.OBIE.Field.InvalidDate', path: 'Data.TransactionToDateTime' }]);
  });

  test('nothing of a refused request is written', async () => {
    const count = async () => Number((await portcullis.db('consents').where({ client_id: partner.clientId }).count({ n: '*' }))[0]!.n);
    const before = await count();
    const expired = accountAccessBody();
    expired.Data.ExpirationDateTime = new Date(Date.now() - 60_000).toISOString();
    await partner.call('POST', AIS, { body: expired, token: tokens.accounts });
    await partner.call('POST', AIS, { rawBody: '{', token: tokens.accounts });
    assert.equal(await count(), before);
  });
});

describe('who may call', () => {
  test('no token, an unknown token, a token without the bound certificate', async () => {
    const missing = await partner.call('POST', AIS, { body: accountAccessBody() });
    assertObError(missing, 401, [{ code: 'UK.OBIE.Header.Missing', path: 'Authorization' }]);
    assert.match(missing.headers.get('www-authenticate') ?? '', /Bearer/);
    const unknown = await partner.call('GET', `${AIS}/aac-x`, { token: 'not-a-token' });
    assertObError(unknown, 401, [{ code: 'UK.OBIE.Header.Invalid', path: 'Authorization' }]);
    assert.match(unknown.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  test('a token without the scope, and a client without the role, are forbidden', async () => {
    assertObError(await partner.call('POST', AIS, { body: accountAccessBody(), token: tokens.payments }), 403, [{ code: 'UK.OBIE.Header.Invalid', path: 'Authorization' }]);
    const aispOnly = await obPartner(portcullis, { roles: ['AISP'] });
    const token = await aispOnly.token('payments');
    assertObError(await aispOnly.call('POST', PIS, { body: domesticPaymentBody(), token, sign: true }), 403, [{ code: 'UK.OBIE.Header.Invalid', path: 'Authorization' }]);
  });

  test("another partner's consent is reported as not found, and cannot be deleted", async () => {
    const created = await partner.call('POST', AIS, { body: accountAccessBody(), token: tokens.accounts });
    const other = await obPartner(portcullis);
    const otherToken = await other.token('accounts');
    const id = created.json.Data.ConsentId;
    assertObError(await other.call('GET', `${AIS}/${id}`, { token: otherToken }), 400, [{ code: 'UK.OBIE.Resource.NotFound' }]);
    assertObError(await other.call('DELETE', `${AIS}/${id}`, { token: otherToken }), 400, [{ code: 'UK.OBIE.Resource.NotFound' }]);
    assert.equal((await partner.call('GET', `${AIS}/${id}`, { token: tokens.accounts })).json.Data.Status, 'AwaitingAuthorisation');
  });

  test('a consent of another kind under this path is not found; unknown paths 404 and wrong methods 405, in OB form', async () => {
    const created = await partner.call('POST', CBPII, { body: fundsConfirmationBody(), token: tokens.fundsconfirmations });
    assertObError(await partner.call('GET', `${AIS}/${created.json.Data.ConsentId}`, { token: tokens.accounts }), 400, [{ code: 'UK.OBIE.Resource.NotFound' }]);
    assertObError(await partner.call('GET', '/open-banking/v3.1/pisp/international-payment-consents/x', { token: tokens.payments }), 404, [{ code: 'UK.OBIE.Resource.NotFound' }]);
    const wrongMethod = await partner.call('DELETE', `${PIS}/pdc-x`, { token: tokens.payments });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'HEAD, GET');
    assertMatchesObSchema('account-info', 'OBErrorResponse1', wrongMethod.json);
  });
});

describe('payment consents', () => {
  test('a signed domestic payment consent is created, and the response is signed by the bank', async () => {
    const body = domesticPaymentBody();
    const created = await partner.call('POST', PIS, { body, token: tokens.payments, sign: true });
    assert.equal(created.status, 201, created.text);
    assertMatchesObSchema('payment-initiation', 'OBWriteDomesticConsentResponse5', created.json);
    assert.deepEqual(created.json.Data.Initiation, body.Data.Initiation);
    assert.deepEqual(created.json.Risk, body.Risk);
    await verifyBankSignature(portcullis, created);

    const read = await partner.call('GET', `${PIS}/${created.json.Data.ConsentId}`, { token: tokens.payments });
    assert.equal(read.json.Data.Status, 'AwaitingAuthorisation');
    await verifyBankSignature(portcullis, read);
  });

  test('message signature missing, or over other bytes; the error answers are signed too', async () => {
    const unsigned = await partner.call('POST', PIS, { body: domesticPaymentBody(), token: tokens.payments });
    assertObError(unsigned, 400, [{ code: 'UK.OBIE.Signature.Missing' }]);
    await verifyBankSignature(portcullis, unsigned);
    const text = JSON.stringify(domesticPaymentBody());
    const signature = await partner.sign(text);
    assertObError(await partner.call('POST', PIS, { rawBody: `${text} `, token: tokens.payments, headers: { 'x-jws-signature': signature } }), 400, [{ code: 'UK.OBIE.Signature.Invalid' }]);
  });

  test('scheduled payment and standing order consents', async () => {
    const scheduled = await partner.call('POST', CONSENT_KINDS['domestic-scheduled-payment'].path, { body: scheduledPaymentBody(), token: tokens.payments, sign: true });
    assert.equal(scheduled.status, 201, scheduled.text);
    assertMatchesObSchema('payment-initiation', 'OBWriteDomesticScheduledConsentResponse5', scheduled.json);
    assert.match(scheduled.json.Data.ConsentId, /^sdp-/);

    const order = await partner.call('POST', CONSENT_KINDS['domestic-standing-order'].path, { body: standingOrderBody(), token: tokens.payments, sign: true });
    assert.equal(order.status, 201, order.text);
    assertMatchesObSchema('payment-initiation', 'OBWriteDomesticStandingOrderConsentResponse6', order.json);
    const read = await partner.call('GET', `${CONSENT_KINDS['domestic-standing-order'].path}/${order.json.Data.ConsentId}`, { token: tokens.payments });
    assert.equal(read.json.Data.Initiation.Frequency, 'IntrvlMnthDay:01:15');
  });

  test('what the bank does not support, and dates in the past', async () => {
    const euros = domesticPaymentBody();
    euros.Data.Initiation.InstructedAmount.Currency = 'EUR';
    assertObError(await partner.call('POST', PIS, { body: euros, token: tokens.payments, sign: true }), 400, [{ code: 'UK.OBIE.Unsupported.Currency', path: 'Data.Initiation.InstructedAmount.Currency' }]);
    const instrument = domesticPaymentBody();
    instrument.Data.Initiation.LocalInstrument = 'UK.OBIE.Paym';
    assertObError(await partner.call('POST', PIS, { body: instrument, token: tokens.payments, sign: true }), 400, [{ code: 'UK.OBIE.Unsupported.LocalInstrument' }]);
    const past = scheduledPaymentBody();
    past.Data.Initiation.RequestedExecutionDateTime = new Date(Date.now() - 1000).toISOString();
    assertObError(await partner.call('POST', CONSENT_KINDS['domestic-scheduled-payment'].path, { body: past, token: tokens.payments, sign: true }), 400, [{ code: 'UK.OBIE.Field.InvalidDate', path: 'Data.Initiation.RequestedExecutionDateTime' }]);
  });

  test('payment consents cannot be deleted; funds confirmation needs the customer-authorised token', async () => {
    const created = await partner.call('POST', PIS, { body: domesticPaymentBody(), token: tokens.payments, sign: true });
    const id = created.json.Data.ConsentId;
    assert.equal((await partner.call('DELETE', `${PIS}/${id}`, { token: tokens.payments })).status, 405);
    const clientCredentials = await partner.call('GET', `${PIS}/${id}/funds-confirmation`, { token: tokens.payments });
    assertObError(clientCredentials, 403, [{ code: 'UK.OBIE.Header.Invalid', path: 'Authorization' }]);
    assert.match(clientCredentials.json.Errors[0].Message, /the customer's authorisation/, 'says which token it needs, not "unknown token"');
    assert.match(clientCredentials.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
  });
});

describe('domain events', () => {
  test('creating and withdrawing a consent are announced on the bus, once committed', async () => {
    const seen: Array<[string, unknown]> = [];
    const stops = [portcullis.events.on('consent.created', (event) => void seen.push([event.name, event.payload])), portcullis.events.on('consent.status_changed', (event) => void seen.push([event.name, event.payload]))];
    try {
      const created = await partner.call('POST', AIS, { body: accountAccessBody(), token: tokens.accounts });
      const consentId = created.json.Data.ConsentId;
      assert.equal((await partner.call('DELETE', `${AIS}/${consentId}`, { token: tokens.accounts })).status, 204);
      const clientId = partner.clientId;
      assert.deepEqual(seen.filter(([, payload]) => (payload as { consentId: string }).consentId === consentId), [
        ['consent.created', { consentId, kind: 'account-access', clientId }],
        ['consent.status_changed', { consentId, kind: 'account-access', clientId, from: 'AwaitingAuthorisation', to: 'Rejected', actor: 'partner', reason: 'withdrawn by the partner' }],
      ]);
    } finally {
      for (const stop of stops) stop();
    }
  });
});

describe('FAPI headers', () => {
  test('an x-fapi-interaction-id that is not a UUID is refused, and echoed so that the partner can find the refusal', async () => {
    for (const id of ['not-a-uuid', `${randomUUID()}x`]) {
      const answer = await partner.call('GET', `${AIS}/aac-x`, { token: tokens.accounts, headers: { 'x-fapi-interaction-id': id } });
      assert.equal(answer.status, 400, answer.text);
      assert.deepEqual(answer.json.Errors, [{ ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'x-fapi-interaction-id must be an RFC 4122 UUID', Path: 'x-fapi-interaction-id' }]);
      assert.equal(answer.headers.get('x-fapi-interaction-id'), id);
    }
  });

  test('x-fapi-auth-date must be an RFC 7231 full date as the spec\'s pattern says', async () => {
    for (const date of ['2017-09-10T19:43:31Z', 'Sun, 10 Sep 2017 19:43:31', 'sun, 10 Sep 2017 19:43:31 GMT', 'Sun, 1 Sep 2017 19:43:31 GMT']) {
      const answer = await partner.call('GET', `${AIS}/aac-x`, { token: tokens.accounts, headers: { 'x-fapi-auth-date': date } });
      assertObError(answer, 400, [{ code: 'UK.OBIE.Header.Invalid', path: 'x-fapi-auth-date' }]);
    }
    const created = await partner.call('POST', AIS, { body: accountAccessBody(), token: tokens.accounts, headers: { 'x-fapi-auth-date': 'Sun, 10 Sep 2017 19:43:31 UTC' } });
    assert.equal(created.status, 201, created.text);
    const gmt = await partner.call('GET', `${AIS}/${created.json.Data.ConsentId}`, { token: tokens.accounts, headers: { 'x-fapi-auth-date': 'Mon, 04 Dec 2026 09:05:00 GMT' } });
    assert.equal(gmt.status, 200, gmt.text);
  });
});

describe('funds confirmation consents', () => {
  test('POST, GET and DELETE', async () => {
    const created = await partner.call('POST', CBPII, { body: fundsConfirmationBody(), token: tokens.fundsconfirmations });
    assert.equal(created.status, 201, created.text);
    assertMatchesObSchema('confirmation-funds', 'OBFundsConfirmationConsentResponse1', created.json);
    assert.equal(created.json.Risk, undefined);
    const id = created.json.Data.ConsentId;
    assert.equal((await partner.call('GET', `${CBPII}/${id}`, { token: tokens.fundsconfirmations })).json.Data.Status, 'AwaitingAuthorisation');
    assert.equal((await partner.call('DELETE', `${CBPII}/${id}`, { token: tokens.fundsconfirmations })).status, 204);
  });

  test('an unsupported debtor account scheme', async () => {
    const body = fundsConfirmationBody();
    body.Data.DebtorAccount.SchemeName = 'UK.OBIE.PAN';
    assertObError(await partner.call('POST', CBPII, { body, token: tokens.fundsconfirmations }), 400, [{ code: 'UK.OBIE.Unsupported.AccountIdentifier', path: 'Data.DebtorAccount.SchemeName' }]);
  });
});

describe('DPoP-bound tokens', () => {
  test('the proof must come with the token, and the token under the DPoP scheme', async () => {
    const { clientId, keys } = await registerKeyClient(portcullis, { scope: 'accounts', software_roles: ['AISP'], org_id: 'org-dpop', software_id: 'sw-dpop' });
    const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }));
    const DPoP = oc.getDPoPHandle(config, await oc.randomDPoPKeyPair('ES256'));
    const { access_token: token } = await oc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP });
    const url = new URL(`${portcullis.urls.partner}${AIS}`);
    const headers = new Headers({ 'content-type': 'application/json', 'x-idempotency-key': randomUUID() });
    const created = await oc.fetchProtectedResource(config, token, url, "POST", JSON.stringify(accountAccessBody()), headers, { DPoP });
    assert.equal(created.status, 201, await created.clone().text());

    const fetchTls = tlsFetch(portcullis.caPem);
    const withoutProof = await fetchTls(`${url.href}/x`, { headers: { authorization: `DPoP ${token}` } });
    assert.equal(withoutProof.status, 401);
    assert.match(withoutProof.headers.get('www-authenticate') ?? '', /^DPoP error="invalid_token"/);
    const asBearer = await fetchTls(`${url.href}/x`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(asBearer.status, 401);
  });
});

describe('message signing turned off (OB_MESSAGE_SIGNING=off)', () => {
  let unsigned: TestPortcullis;
  before(async () => {
    unsigned = await startTestPortcullis({ OB_MESSAGE_SIGNING: 'off' });
  });
  after(() => unsigned?.close());

  test('payment consents need no x-jws-signature, and responses carry none', async () => {
    const tpp = await obPartner(unsigned);
    const created = await tpp.call('POST', PIS, { body: domesticPaymentBody(), token: await tpp.token('payments') });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('x-jws-signature'), null);
  });
});
