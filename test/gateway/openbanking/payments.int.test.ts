import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import type { JSONWebKeySet } from 'jose';

import { defaults } from '../../../src/config/defaults.ts';
import { CONSENT_KINDS } from '../../../src/consent/consent-kinds.ts';
import { findConsent } from '../../../src/consent/consent.store.ts';
import { domesticPaymentBody, scheduledPaymentBody, standingOrderBody } from '../../consent/consent-bodies.ts';
import { OB_PAYMENT_READS, OB_PAYMENT_SUBMISSIONS } from '../../../src/gateway/openbanking/ob-payment-resources.ts';
import { verifyCallerIdentity } from '../../../src/gateway/upstream/caller-identity.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { addTestApi, ownObBasePath } from '../../helpers/gateway-catalogue.ts';
import { openIsolatedStore, type IsolatedStore } from '../../helpers/isolated-store.ts';
import { obPartner, verifyBankSignature, type ObPartner } from '../../helpers/ob-partner.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { storeKind } from '../../helpers/store.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../../helpers/upstream-server.ts';

/*
 * Payments through the gateway (issue 11, step 3 for PIS): a submission must name the token's
 * consent and repeat its Initiation and Risk exactly; it executes once (the consent becomes
 * Consumed before the bank is called, whatever races for it); the same x-idempotency-key with the
 * same body gets the bank's first answer again, with another body 400; when the bank gives no
 * answer the same request may be sent again; a partner reads back only its own payments.
 */

type PaymentKind = 'domestic-payment' | 'domestic-scheduled-payment' | 'domestic-standing-order';
const PISP = ownObBasePath('pisp');
const PAYMENTS = `${PISP}/domestic-payments`;

let app: TestPortcullis;
let store: IsolatedStore;
let partner: ObPartner;
let bank: UpstreamServer;
let failNext = 0;
const posted = () => bank.seen.filter((request) => request.method === 'POST').length;

before(async () => {
  bank = await startUpstreamServer((request, res) => {
    res.setHeader('content-type', 'application/json');
    if (request.method === 'POST' && failNext > 0) {
      failNext -= 1;
      res.statusCode = 503;
      return res.end('{"Code":"503 ServiceUnavailable"}');
    }
    if (request.method === 'POST') {
      const body = JSON.parse(request.body) as { Data: { ConsentId: string; Initiation: unknown } };
      const resource = OB_PAYMENT_SUBMISSIONS.get(request.url!)!;
      res.statusCode = 201;
      return res.end(JSON.stringify({ Data: { [resource.idField]: `dp-${body.Data.ConsentId}`, ConsentId: body.Data.ConsentId, Status: 'AcceptedSettlementInProcess', Initiation: body.Data.Initiation }, Links: { Self: 'x' }, Meta: {} }));
    }
    return res.end(JSON.stringify({ Data: { DomesticPaymentId: request.url!.split('/').at(-1), Status: 'AcceptedSettlementCompleted' } }));
  });
  // The payment APIs' base path is one per catalogue: a store of this file's own.
  store = await openIsolatedStore();
  app = await startTestPortcullis({}, { store: store.db });
  partner = await obPartner(app);
  await addTestApi(app.db, app.events, {
    name: `payments-${randomUUID()}`, basePath: PISP, authKind: 'fapi', upstreams: [{ url: bank.url, weight: 1 }],
    routes: [...OB_PAYMENT_SUBMISSIONS.keys(), ...OB_PAYMENT_READS.keys()].map((path) => ({ method: path.includes('{') ? 'GET' : 'POST', path, policy: { scopes: ['payments'] } })),
  });
});
after(async () => {
  await app?.close();
  await store?.close();
  await bank?.close();
});

/** A domestic payment consent the customer authorised, and the customer's access token for it. */
async function authorisedPayment(amount = '12.50', kind: PaymentKind = 'domestic-payment'): Promise<{ consentId: string; token: string; consentBody: ReturnType<typeof domesticPaymentBody> }> {
  const consentBody = kind === 'domestic-payment' ? domesticPaymentBody(amount) : kind === 'domestic-scheduled-payment' ? scheduledPaymentBody() : standingOrderBody();
  const created = await partner.call('POST', CONSENT_KINDS[kind].path, { body: consentBody, token: await partner.token('payments'), sign: true });
  assert.equal(created.status, 201, created.text);
  const consentId = created.json.Data.ConsentId as string;
  const tokens = await partner.authorise(consentId, 'payments', { choices: { debtor: 'acc-0001-current' } });
  return { consentId, token: tokens.access_token, consentBody: consentBody as ReturnType<typeof domesticPaymentBody> };
}

const submission = (consentId: string, consentBody: ReturnType<typeof domesticPaymentBody>) => ({ Data: { ConsentId: consentId, Initiation: consentBody.Data.Initiation }, Risk: consentBody.Risk });
const submit = (token: string, body: unknown, key: string) => partner.call('POST', PAYMENTS, { body, token, sign: true, headers: { 'x-idempotency-key': key } });

test(`a payment is made once: its consent is Consumed, a replay gets the first answer, another request is refused (${storeKind})`, async () => {
  const { consentId, token, consentBody } = await authorisedPayment();
  const before = posted();
  const key = randomUUID();
  const made = await submit(token, submission(consentId, consentBody), key);
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.Data.DomesticPaymentId, `dp-${consentId}`);
  assert.equal(posted(), before + 1);
  assert.equal((await findConsent(app.db, consentId))!.status, 'Consumed');
  const jwks = await (await tlsFetch(app.caPem)(`${app.urls.browser}/jwks`)).json() as JSONWebKeySet;
  const identity = await verifyCallerIdentity(bank.seen.at(-1)!.headers['x-portcullis-identity'] as string, { jwks, issuer: app.config.issuer, audience: bank.url, clock: systemClock });
  assert.deepEqual([identity.customerId, identity.consentId, identity.accountIds], ['cust-0001', consentId, ['acc-0001-current']], 'the bank is told the account the customer chose to pay from');

  const replay = await submit(token, submission(consentId, consentBody), key);
  assert.equal(replay.status, 201);
  assert.deepEqual(replay.json, made.json);
  assert.equal(replay.headers.get('x-idempotent-replay'), 'true');
  assert.equal(posted(), before + 1, 'the bank was not asked again');

  const otherBody = await submit(token, { ...submission(consentId, consentBody), Risk: { PaymentContextCode: 'Other' } }, key);
  assert.equal(otherBody.status, 400);
  assert.equal(otherBody.json.Errors[0].ErrorCode, 'UK.OBIE.Header.Invalid');

  const again = await submit(token, submission(consentId, consentBody), randomUUID());
  assert.equal(again.status, 403);
  assert.equal(again.json.Errors[0].ErrorCode, 'UK.OBIE.Resource.InvalidConsentStatus');
  assert.equal(posted(), before + 1);

  const read = await partner.call('GET', `${PAYMENTS}/dp-${consentId}`, { token: await partner.token('payments') });
  assert.equal(read.status, 200, read.text);
  const stranger = await obPartner(app);
  const foreign = await stranger.call('GET', `${PAYMENTS}/dp-${consentId}`, { token: await stranger.token('payments') });
  assert.equal(foreign.status, 404, "another partner's payment is not found");
});

test(`a submission that differs from its consent is refused and pays nothing (${storeKind})`, async () => {
  const { consentId, token, consentBody } = await authorisedPayment('30.00');
  const before = posted();
  const changed = submission(consentId, consentBody);
  const tampered = { ...changed, Data: { ...changed.Data, Initiation: { ...changed.Data.Initiation, InstructedAmount: { Amount: '3000.00', Currency: 'GBP' } } } };
  const refused = await submit(token, tampered, randomUUID());
  assert.equal(refused.status, 400);
  assert.deepEqual([refused.json.Errors[0].ErrorCode, refused.json.Errors[0].Path], ['UK.OBIE.Resource.ConsentMismatch', 'Data.Initiation']);
  const otherConsent = await submit(token, { ...changed, Data: { ...changed.Data, ConsentId: 'pdc-not-this-one' } }, randomUUID());
  assert.equal(otherConsent.status, 400);
  assert.equal(otherConsent.json.Errors[0].Path, 'Data.ConsentId');
  const noKey = await partner.call('POST', PAYMENTS, { body: changed, token, sign: true, headers: { 'x-idempotency-key': '' } });
  assert.equal(noKey.status, 400);
  assert.equal(noKey.json.Errors[0].ErrorCode, 'UK.OBIE.Header.Missing');
  assert.equal(posted(), before);
  assert.equal((await findConsent(app.db, consentId))!.status, 'Authorised', 'still there to be paid as consented');
  assert.equal((await submit(token, changed, randomUUID())).status, 201);
});

test(`an unsigned submission, or one signed over other bytes, is refused and pays nothing (${storeKind})`, async () => {
  const { consentId, token, consentBody } = await authorisedPayment('11.00');
  const before = posted();
  const body = submission(consentId, consentBody);
  const unsigned = await partner.call('POST', PAYMENTS, { body, token, headers: { 'x-idempotency-key': randomUUID() } });
  assert.equal(unsigned.status, 400);
  assert.equal(unsigned.json.Errors[0].ErrorCode, 'UK.OBIE.Signature.Missing');
  const otherBytes = await partner.call('POST', PAYMENTS, { body, token, headers: { 'x-idempotency-key': randomUUID(), 'x-jws-signature': await partner.sign('{"Data":{}}') } });
  assert.equal(otherBytes.status, 400);
  assert.equal(otherBytes.json.Errors[0].ErrorCode, 'UK.OBIE.Signature.Invalid');
  assert.equal(posted(), before);
  assert.equal((await findConsent(app.db, consentId))!.status, 'Authorised');
});

test(`submissions racing for one consent: exactly one payment (${storeKind})`, async () => {
  const { consentId, token, consentBody } = await authorisedPayment('7.00');
  const before = posted();
  const answers = await Promise.all(Array.from({ length: 5 }, () => submit(token, submission(consentId, consentBody), randomUUID())));
  assert.deepEqual(answers.map((answer) => answer.status).sort(), [201, 403, 403, 403, 403]);
  assert.equal(posted(), before + 1);
});

test(`no answer from the bank: the same request, same key, may be sent again and pays once (${storeKind})`, async () => {
  const { consentId, token, consentBody } = await authorisedPayment('8.00');
  const key = randomUUID();
  failNext = 1;
  const failed = await submit(token, submission(consentId, consentBody), key);
  assert.equal(failed.status, 503);
  assert.equal((await submit(token, submission(consentId, consentBody), randomUUID())).status, 403, 'another key cannot pay the consumed consent');
  const retried = await submit(token, submission(consentId, consentBody), key);
  assert.equal(retried.status, 201, retried.text);
  assert.equal(bank.seen.at(-1)!.headers['x-idempotency-key'], key, 'the bank core sees the same key, to dedup');
});

test(`a submission left pending (its instance stopped, or the store went away before the answer was kept): 409 while it may be in flight, sent again under the same key after the lease, paying once (${storeKind})`, async () => {
  const { consentId, token, consentBody } = await authorisedPayment('9.00');
  const key = randomUUID();
  failNext = 1;
  assert.equal((await submit(token, submission(consentId, consentBody), key)).status, 503);
  // As the stopped instance left it: sent, no answer kept.
  const leftPending = (secondsAgo: number) => app.db('gateway_payment_submissions').where({ consent_id: consentId })
    .update({ state: 'pending', sent_at: new Date(Date.now() - secondsAgo * 1000) });

  await leftPending(defaults.gateway.paymentSubmissionLease - 30);
  const inFlight = await submit(token, submission(consentId, consentBody), key);
  assert.equal(inFlight.status, 409, inFlight.text);
  assert.equal(inFlight.headers.get('retry-after'), '2');
  assert.equal(inFlight.json.Errors[0].ErrorCode, 'UK.OBIE.Resource.InvalidConsentStatus');

  await leftPending(defaults.gateway.paymentSubmissionLease + 1);
  const before = posted();
  const retried = await submit(token, submission(consentId, consentBody), key);
  assert.equal(retried.status, 201, retried.text);
  assert.equal(posted(), before + 1, 'sent to the bank again');
  assert.equal(bank.seen.at(-1)!.headers['x-idempotency-key'], key, 'under the same key, which the bank core dedups');
  const replayed = await submit(token, submission(consentId, consentBody), key);
  assert.equal(replayed.status, 201);
  assert.equal(replayed.headers.get('x-idempotent-replay'), 'true');
  assert.equal(posted(), before + 1, 'and never again');
});

test(`a client-credentials token cannot make a payment (${storeKind})`, async () => {
  const { consentId, consentBody } = await authorisedPayment('9.00');
  const refused = await submit(await partner.token('payments'), submission(consentId, consentBody), randomUUID());
  assert.equal(refused.status, 403);
});

test(`the bank signs every payment answer through the gateway, errors and replays included (${storeKind})`, async () => {
  const { consentId, token, consentBody } = await authorisedPayment('5.00');
  const key = randomUUID();
  const answers = {
    made: await submit(token, submission(consentId, consentBody), key),
    replay: await submit(token, submission(consentId, consentBody), key),
    refused: await submit(token, submission(consentId, consentBody), randomUUID()),
    read: await partner.call('GET', `${PAYMENTS}/dp-${consentId}`, { token: await partner.token('payments') }),
  };
  assert.deepEqual(Object.values(answers).map((answer) => answer.status), [201, 201, 403, 200]);
  for (const [name, answer] of Object.entries(answers)) {
    await assert.doesNotReject(verifyBankSignature(app, answer), `${name}: a valid x-jws-signature over the bytes sent`);
  }
  const tampered = { ...answers.made, text: answers.made.text.replace('"Status"', '"status"') };
  await assert.rejects(verifyBankSignature(app, tampered), 'the signature covers the exact bytes');
});

for (const [path, resource] of [...OB_PAYMENT_SUBMISSIONS].filter(([, { kind }]) => kind !== 'domestic-payment')) {
  test(`a ${resource.kind} is made once through ${path}, and read back by its ${resource.idField} (${storeKind})`, async () => {
    const { consentId, token, consentBody } = await authorisedPayment(undefined, resource.kind as PaymentKind);
    const before = posted();
    const body = { Data: { ConsentId: consentId, Initiation: consentBody.Data.Initiation }, Risk: consentBody.Risk };
    const submitTo = (idempotencyKey: string) => partner.call('POST', `${PISP}${path}`, { body, token, sign: true, headers: { 'x-idempotency-key': idempotencyKey } });
    const made = await submitTo(randomUUID());
    assert.equal(made.status, 201, made.text);
    assert.equal(made.json.Data[resource.idField], `dp-${consentId}`);
    assert.equal((await findConsent(app.db, consentId))!.status, 'Consumed');
    const again = await submitTo(randomUUID());
    assert.equal(again.status, 403);
    assert.equal(again.json.Errors[0].ErrorCode, 'UK.OBIE.Resource.InvalidConsentStatus');
    assert.equal(posted(), before + 1);
    const read = await partner.call('GET', `${PISP}${path}/dp-${consentId}`, { token: await partner.token('payments') });
    assert.equal(read.status, 200, read.text);
    // A domestic payment's consent, submitted in full to this resource: the consent is of another kind.
    const domestic = await authorisedPayment('1.00');
    const wrongKind = await partner.call('POST', `${PISP}${path}`, { body: submission(domestic.consentId, domestic.consentBody), token: domestic.token, sign: true, headers: { 'x-idempotency-key': randomUUID() } });
    assert.equal(wrongKind.status, 400);
    assert.deepEqual([wrongKind.json.Errors[0].ErrorCode, wrongKind.json.Errors[0].Path], ['UK.OBIE.Resource.ConsentMismatch', 'Data.ConsentId']);
    assert.equal((await findConsent(app.db, domestic.consentId))!.status, 'Authorised', 'the domestic consent is still there to be paid');
    assert.equal(posted(), before + 1);
  });
}
