import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import * as oc from 'openid-client';

import { openBankingResourceIndicator } from '../../src/auth/provider/resource-server.ts';
import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { accountAccessBody } from '../consent/consent-bodies.ts';
import { eventually, pollUntil } from '../helpers/eventually.ts';
import { addTestApi } from '../helpers/gateway-catalogue.ts';
import { obPartner, type ObPartner } from '../helpers/ob-partner.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

/*
 * An `oauth2` API whose issuer is our own authorization server takes our access tokens (RFC 9068
 * JWTs) as they are, and ends with them: once their grant is revoked (the partner revokes the
 * refresh token, or withdraws the consent) they are refused within a second, as any invalid token
 * is (401, `invalid_token`, problem details), though their `exp` is minutes away. Our other JWTs
 * (an ID token) are not access tokens, and are refused. The second instance's side of this is in
 * `multi-instance.int.test.ts`.
 */

const AIS_CONSENTS = CONSENT_KINDS['account-access'].path;
const suffix = randomUUID().slice(0, 8);
/** Takes the tokens we issue for the Open Banking resource: our issuer, their audience. */
const STATEMENTS = `/statements-${suffix}/v1`;
/** Our issuer, no audience named: any access token of ours. */
const ANY_OF_OURS = `/ours-${suffix}/v1`;
const INVALID = 'Bearer error="invalid_token", error_description="The access token is not valid"';

let app: TestPortcullis;
let upstream: UpstreamServer;
let partner: ObPartner;
let call: typeof fetch;

before(async () => {
  upstream = await startUpstreamServer();
  app = await startTestPortcullis();
  partner = await obPartner(app);
  call = tlsFetch(app.caPem);
  const upstreams = [{ url: upstream.url, weight: 1 }];
  const oauth2 = { issuer: app.config.issuer, jwksUri: `${app.config.issuer}/jwks`, audience: openBankingResourceIndicator(app.config.mtlsBaseUrl) };
  await addTestApi(app.db, app.events, { basePath: STATEMENTS, authKind: 'oauth2', upstreams, settings: { oauth2 }, routes: [{ method: 'GET', path: '/statements', policy: { scopes: ['accounts'] } }] });
  await addTestApi(app.db, app.events, { basePath: ANY_OF_OURS, authKind: 'oauth2', upstreams, routes: [{ method: 'GET', path: '/things' }] });
  await eventually(async () => (await statements('')).status === 401 && (await send(`${ANY_OF_OURS}/things`, '')).status === 401, { withinMs: 3000, what: 'the APIs routed' });
});
after(async () => {
  await app?.close();
  await upstream?.close();
});

const send = (path: string, token: string) => call(`${app.urls.public}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const statements = (token: string) => send(`${STATEMENTS}/statements`, token);

/** A consent Alice authorised for the partner, and the tokens its code was exchanged for. */
async function authorised(): Promise<{ consentId: string; tokens: oc.TokenEndpointResponse }> {
  const created = await partner.call('POST', AIS_CONSENTS, { body: accountAccessBody(), token: await partner.token('accounts') });
  assert.equal(created.status, 201, created.text);
  const consentId = created.json.Data.ConsentId as string;
  const tokens = await partner.authorise(consentId, 'accounts');
  assert.match(tokens.access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a JWT access token');
  return { consentId, tokens };
}

/** Calls until the answer is no longer 200, which must be seen within a second; returns that answer. */
async function refusedWithinASecond(attempt: () => Promise<Response>): Promise<Response> {
  const read = async () => {
    const response = await attempt();
    // An admitted answer is read to its end, so that its connection serves the next try.
    if (response.status === 200) await response.arrayBuffer();
    return response;
  };
  return (await pollUntil(read, (response) => response.status !== 200, { withinMs: 1000, what: 'a refusal' })).value;
}

async function assertInvalidToken(response: Response): Promise<void> {
  assert.equal(response.status, 401);
  assert.equal(response.headers.get('www-authenticate'), INVALID);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  const problem = await response.json() as Record<string, unknown>;
  assert.equal(problem['type'], `${app.config.issuer}/docs/problems/unauthenticated`);
  assert.equal(problem['status'], 401);
  assert.equal(problem['detail'], 'The access token is not valid');
}

test(`our access token is taken by an oauth2 API of our issuer, and refused within 1 s once the partner revokes its refresh token (${storeKind})`, async () => {
  const { tokens } = await authorised();
  const admitted = await statements(tokens.access_token);
  assert.equal(admitted.status, 200, await admitted.clone().text());
  assert.deepEqual(await admitted.json(), { method: 'GET', url: '/statements' });
  assert.equal((await send(`${ANY_OF_OURS}/things`, tokens.access_token)).status, 200, 'an API of ours that names no audience');

  await oc.tokenRevocation(partner.config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
  const before = upstream.seen.length;
  await assertInvalidToken(await refusedWithinASecond(() => statements(tokens.access_token)));
  await assertInvalidToken(await send(`${ANY_OF_OURS}/things`, tokens.access_token));
  assert.equal(upstream.seen.length, before, 'a refused call never reaches the upstream');
});

test(`our access token whose consent the partner withdraws is refused by an oauth2 API of our issuer within 1 s (${storeKind})`, async () => {
  const { consentId, tokens } = await authorised();
  assert.equal((await statements(tokens.access_token)).status, 200);

  const withdrawn = await partner.call('DELETE', `${AIS_CONSENTS}/${consentId}`, { token: await partner.token('accounts') });
  assert.equal(withdrawn.status, 204, withdrawn.text);
  await assertInvalidToken(await refusedWithinASecond(() => statements(tokens.access_token)));
});

test(`an ID token of ours is not an access token: an oauth2 API of our issuer refuses it (${storeKind})`, async () => {
  const { tokens } = await authorised();
  assert.equal((await send(`${ANY_OF_OURS}/things`, tokens.access_token)).status, 200);
  await assertInvalidToken(await send(`${ANY_OF_OURS}/things`, tokens.id_token!));
});
