import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import * as oc from 'openid-client';

import { CONSENT_KINDS } from '../../../src/consent/consent-kinds.ts';
import { accountAccessBody } from '../../consent/consent-bodies.ts';
import { pollUntil } from '../../helpers/eventually.ts';
import { addTestApi, ownObBasePath } from '../../helpers/gateway-catalogue.ts';
import { ACCOUNTS, startObBankUpstream } from '../../helpers/ob-bank-upstream.ts';
import { obPartner, type ObPartner } from '../../helpers/ob-partner.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { storeKind } from '../../helpers/store.ts';
import type { UpstreamServer } from '../../helpers/upstream-server.ts';

/*
 * With `ACCESS_TOKEN_FORMAT=opaque` the gateway asks the token store what a customer token is, and
 * keeps the answer for a moment: a revoked token, or one whose consent was revoked, is still refused
 * within a second.
 */

const AIS_CONSENTS = CONSENT_KINDS['account-access'].path;
const AISP = ownObBasePath('aisp');

let app: TestPortcullis;
let bank: UpstreamServer;
let partner: ObPartner;

before(async () => {
  bank = await startObBankUpstream();
  app = await startTestPortcullis({ ACCESS_TOKEN_FORMAT: 'opaque' });
  partner = await obPartner(app);
  const routes = [{ method: 'GET', path: '/accounts', policy: { scopes: ['accounts'] } }];
  await addTestApi(app.db, app.events, { name: `accounts-${randomUUID()}`, basePath: AISP, authKind: 'fapi', upstreams: [{ url: bank.url, weight: 1 }], routes });
});
after(async () => {
  await app?.close();
  await bank?.close();
});

async function authorisedToken(): Promise<{ consentId: string; token: string }> {
  const created = await partner.call('POST', AIS_CONSENTS, { body: accountAccessBody(), token: await partner.token('accounts') });
  assert.equal(created.status, 201, created.text);
  const consentId = created.json.Data.ConsentId as string;
  const tokens = await partner.authorise(consentId, 'accounts', { choices: { [`account:${ACCOUNTS.current}`]: 'yes' } });
  assert.doesNotMatch(tokens.access_token, /\./, 'an opaque token, not a JWT');
  return { consentId, token: tokens.access_token };
}

const accounts = (token: string) => partner.call('GET', `${AISP}/accounts`, { token });

test(`an opaque customer token reads the chosen accounts, and once revoked is refused within 1 s (${storeKind})`, async () => {
  const { token } = await authorisedToken();
  const read = await accounts(token);
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(read.json.Data.Account.map((account: { AccountId: string }) => account.AccountId), [ACCOUNTS.current]);

  await oc.tokenRevocation(partner.config, token, { token_type_hint: 'access_token' });
  const refused = (await pollUntil(() => accounts(token), (answer) => answer.status !== 200, { withinMs: 1000, what: 'a refusal' })).value;
  assert.equal(refused.status, 401, refused.text);
  assert.equal(refused.json.Errors[0].ErrorCode, 'UK.OBIE.Header.Invalid');
});

test(`an opaque customer token whose consent the partner revokes (and the grant with it) is refused within 1 s (${storeKind})`, async () => {
  const { consentId, token } = await authorisedToken();
  assert.equal((await accounts(token)).status, 200);
  const deleted = await partner.call('DELETE', `${AIS_CONSENTS}/${consentId}`, { token: await partner.token('accounts') });
  assert.equal(deleted.status, 204, deleted.text);
  const refused = (await pollUntil(() => accounts(token), (answer) => answer.status !== 200, { withinMs: 1000, what: 'a refusal' })).value;
  assert.equal(refused.status, 401, refused.text);
  assert.equal(refused.json.Errors[0].ErrorCode, 'UK.OBIE.Header.Invalid');
});
