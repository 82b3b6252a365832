import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import type { JSONWebKeySet } from 'jose';

import { CONSENT_KINDS } from '../../../src/consent/consent-kinds.ts';
import { OB_FUNDS_CONFIRMATION } from '../../../src/gateway/openbanking/authorise-funds-confirmation.ts';
import { verifyCallerIdentity } from '../../../src/gateway/upstream/caller-identity.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { fundsConfirmationBody } from '../../consent/consent-bodies.ts';
import { addTestApi, ownObBasePath } from '../../helpers/gateway-catalogue.ts';
import { openIsolatedStore, type IsolatedStore } from '../../helpers/isolated-store.ts';
import { obPartner, type ObPartner } from '../../helpers/ob-partner.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { storeKind } from '../../helpers/store.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../../helpers/upstream-server.ts';

/*
 * A card issuer's funds check through the gateway (CBPII, POST /funds-confirmations): only with the
 * customer's token for an Authorised funds confirmation consent of the same partner, naming that
 * consent; the bank core is told, in the signed identity, the one account the customer let be checked.
 */

const CBPII = ownObBasePath('cbpii');
const CONFIRMATIONS = `${CBPII}${OB_FUNDS_CONFIRMATION}`;
const CONSENTS = CONSENT_KINDS['funds-confirmation'].path;

let app: TestPortcullis;
let store: IsolatedStore;
let partner: ObPartner;
let bank: UpstreamServer;

before(async () => {
  bank = await startUpstreamServer((request, res) => {
    const { Data } = JSON.parse(request.body) as { Data: { ConsentId: string; Reference: string; InstructedAmount: unknown } };
    res.statusCode = 201;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({
      Data: { FundsConfirmationId: `fc-${randomUUID()}`, ConsentId: Data.ConsentId, CreationDateTime: new Date().toISOString(), FundsAvailable: true, Reference: Data.Reference, InstructedAmount: Data.InstructedAmount },
      Links: { Self: `${bank.url}${OB_FUNDS_CONFIRMATION}` }, Meta: {},
    }));
  });
  // The CBPII API's base path is one per catalogue: a store of this file's own.
  store = await openIsolatedStore();
  app = await startTestPortcullis({}, { store: store.db });
  partner = await obPartner(app);
  await addTestApi(app.db, app.events, {
    name: `cbpii-${randomUUID()}`, basePath: CBPII, authKind: 'fapi', upstreams: [{ url: bank.url, weight: 1 }],
    routes: [{ method: 'POST', path: OB_FUNDS_CONFIRMATION, policy: { scopes: ['fundsconfirmations'] } }],
  });
});
after(async () => {
  await app?.close();
  await store?.close();
  await bank?.close();
});

async function consentFor(who: ObPartner): Promise<string> {
  const created = await who.call('POST', CONSENTS, { body: fundsConfirmationBody(), token: await who.token('fundsconfirmations') });
  assert.equal(created.status, 201, created.text);
  return created.json.Data.ConsentId as string;
}

const check = (consentId: string, amount = '20.00') => ({ Data: { ConsentId: consentId, Reference: 'Purchase01', InstructedAmount: { Amount: amount, Currency: 'GBP' } } });

test(`an authorised consent's funds check reaches the bank with the customer's account, and the bank's answer comes back (${storeKind})`, async () => {
  const consentId = await consentFor(partner);
  const { access_token: token } = await partner.authorise(consentId, 'fundsconfirmations');
  const answered = await partner.call('POST', CONFIRMATIONS, { body: check(consentId), token });
  assert.equal(answered.status, 201, answered.text);
  assert.equal(answered.json.Data.ConsentId, consentId);
  assert.equal(answered.json.Data.FundsAvailable, true);

  const seen = bank.seen.at(-1)!;
  const jwks = await (await tlsFetch(app.caPem)(`${app.urls.browser}/jwks`)).json() as JSONWebKeySet;
  const identity = await verifyCallerIdentity(seen.headers['x-portcullis-identity'] as string, { jwks, issuer: app.config.issuer, audience: bank.url, clock: systemClock });
  assert.equal(identity.consentId, consentId);
  assert.equal(identity.customerId, 'cust-0001');
  assert.deepEqual(identity.accountIds, ['acc-0001-current'], 'the debtor account the consent names, by the bank\'s id');
});

test(`a funds check is refused unless the body names the token's own Authorised consent (${storeKind})`, async () => {
  const consentId = await consentFor(partner);
  const { access_token: token } = await partner.authorise(consentId, 'fundsconfirmations');
  const before = bank.seen.length;

  const otherConsent = await partner.call('POST', CONFIRMATIONS, { body: check('fcc-not-this-one'), token });
  assert.equal(otherConsent.status, 400, otherConsent.text);
  assert.deepEqual([otherConsent.json.Errors[0].ErrorCode, otherConsent.json.Errors[0].Path], ['UK.OBIE.Resource.ConsentMismatch', 'Data.ConsentId']);

  const clientToken = await partner.call('POST', CONFIRMATIONS, { body: check(consentId), token: await partner.token('fundsconfirmations') });
  assert.equal(clientToken.status, 403, 'a client-credentials token acts for no customer');
  assert.deepEqual([clientToken.json.Errors[0].ErrorCode, clientToken.json.Errors[0].Path], ['UK.OBIE.Header.Invalid', 'Authorization']);

  const revoked = await partner.call('DELETE', `${CONSENTS}/${consentId}`, { token: await partner.token('fundsconfirmations') });
  assert.equal(revoked.status, 204, revoked.text);
  const afterRevocation = await partner.call('POST', CONFIRMATIONS, { body: check(consentId), token });
  assert.equal(afterRevocation.status, 401, 'revoking the consent ended its grant, and the token with it');
  assert.equal(afterRevocation.headers.get('www-authenticate'), 'Bearer error="invalid_token", error_description="unknown, expired or revoked token"');
  assert.equal(bank.seen.length, before, 'the bank was never asked');
});

test(`another partner's token for its own consent cannot check this partner's consent (${storeKind})`, async () => {
  const consentId = await consentFor(partner);
  await partner.authorise(consentId, 'fundsconfirmations');
  const stranger = await obPartner(app);
  const theirs = await consentFor(stranger);
  const { access_token: theirToken } = await stranger.authorise(theirs, 'fundsconfirmations');
  const refused = await stranger.call('POST', CONFIRMATIONS, { body: check(consentId), token: theirToken });
  assert.equal(refused.status, 400, refused.text);
  assert.equal(refused.json.Errors[0].ErrorCode, 'UK.OBIE.Resource.ConsentMismatch');
});
