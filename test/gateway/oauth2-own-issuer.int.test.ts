import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import * as oc from 'openid-client';

import { openBankingResourceIndicator } from '../../src/auth/provider/resource-server.ts';
import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { accountAccessBody } from '../consent/consent-bodies.ts';
import { dpopPartner, type DpopPartner } from '../helpers/dpop-partner.ts';
import { eventually, pollUntil } from '../helpers/eventually.ts';
import { addTestApi } from '../helpers/gateway-catalogue.ts';
import { obPartner } from '../helpers/ob-partner.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

/*
 * An `oauth2` API whose issuer is our own authorization server takes our access tokens (RFC 9068
 * JWTs), which are all sender-constrained, as their binding allows on the public listener: a
 * DPoP-bound one under the DPoP scheme with a proof by its key, through a real openid-client;
 * as a bearer token, or with a proof seen before, it is refused; a certificate-bound one is
 * refused, since this listener asks for no certificate. The tokens end with their grant: once
 * the partner revokes the refresh token or withdraws the consent they are refused within a
 * second, as any invalid token is (401, `invalid_token`, problem details), though their `exp` is
 * minutes away. Our other JWTs (an ID token) are not access tokens, and are refused. The second
 * instance's side of this is in `multi-instance.int.test.ts`.
 */

const AIS_CONSENTS = CONSENT_KINDS['account-access'].path;
const suffix = randomUUID().slice(0, 8);
/** Takes the tokens we issue for the Open Banking resource: our issuer, their audience. */
const STATEMENTS = `/statements-${suffix}/v1`;
/** Our issuer, no audience named: any access token of ours. */
const ANY_OF_OURS = `/ours-${suffix}/v1`;
const ALGS = 'algs="PS256 ES256 EdDSA"';

let app: TestPortcullis;
let upstream: UpstreamServer;
let partner: DpopPartner;
let call: typeof fetch;

before(async () => {
  upstream = await startUpstreamServer();
  app = await startTestPortcullis();
  partner = await dpopPartner(app);
  call = tlsFetch(app.caPem);
  const upstreams = [{ url: upstream.url, weight: 1 }];
  const oauth2 = { issuer: app.config.issuer, jwksUri: `${app.config.issuer}/jwks`, audience: openBankingResourceIndicator(app.config.mtlsBaseUrl) };
  await addTestApi(app.db, app.events, { basePath: STATEMENTS, authKind: 'oauth2', upstreams, settings: { oauth2 }, routes: [{ method: 'GET', path: '/statements', policy: { scopes: ['accounts'] } }] });
  await addTestApi(app.db, app.events, { basePath: ANY_OF_OURS, authKind: 'oauth2', upstreams, routes: [{ method: 'GET', path: '/things' }] });
  await eventually(async () => (await bearer(`${STATEMENTS}/statements`, '')).status === 401 && (await bearer(`${ANY_OF_OURS}/things`, '')).status === 401, { withinMs: 3000, what: 'the APIs routed' });
});
after(async () => {
  await app?.close();
  await upstream?.close();
});

const bearer = (path: string, token: string) => call(`${app.urls.public}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
/** A call as the partner makes it by hand: the DPoP scheme and `proof` (a fresh one of its own unless given). */
const dpop = async (path: string, token: string, proof?: string) => call(`${app.urls.public}${path}`, {
  headers: { authorization: `DPoP ${token}`, dpop: proof ?? await partner.proof('GET', `${app.config.gatewayBaseUrl}${path}`, token) },
});
const statements = (token: string) => dpop(`${STATEMENTS}/statements`, token);

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

async function assertUnauthenticated(response: Response, challenge: string, detail: string): Promise<void> {
  assert.equal(response.status, 401);
  assert.equal(response.headers.get('www-authenticate'), challenge);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  const problem = await response.json() as Record<string, unknown>;
  assert.equal(problem['type'], `${app.config.issuer}/docs/problems/unauthenticated`);
  assert.equal(problem['status'], 401);
  assert.equal(problem['detail'], detail);
}

const assertInvalidToken = (response: Response) => assertUnauthenticated(response, `DPoP error="invalid_token", error_description="The access token is not valid", ${ALGS}`, 'The access token is not valid');

test(`our DPoP-bound access token is taken from openid-client with its proof; as a bearer token, or with a proof used before, it is refused (${storeKind})`, async () => {
  const { tokens } = await partner.authorisedAccountAccess();
  assert.equal(tokens.token_type.toLowerCase(), 'dpop');
  const viaClient = await oc.fetchProtectedResource(partner.config, tokens.access_token, new URL(`${app.urls.public}${STATEMENTS}/statements`), 'GET', undefined, undefined, { DPoP: partner.DPoP });
  assert.equal(viaClient.status, 200, await viaClient.clone().text());
  assert.deepEqual(await viaClient.json(), { method: 'GET', url: '/statements' });
  assert.equal(upstream.seen.at(-1)!.headers['dpop'], undefined, 'the proof stays at the gateway');

  const before = upstream.seen.length;
  const downgraded = 'The access token is DPoP-bound: send it with the DPoP scheme and a DPoP proof';
  await assertUnauthenticated(await bearer(`${STATEMENTS}/statements`, tokens.access_token), `DPoP error="invalid_token", error_description="${downgraded}", ${ALGS}`, downgraded);
  const once = await partner.proof('GET', `${app.config.gatewayBaseUrl}${ANY_OF_OURS}/things`, tokens.access_token);
  assert.equal((await dpop(`${ANY_OF_OURS}/things`, tokens.access_token, once)).status, 200);
  assert.equal(upstream.seen.length, before + 1);
  await assertUnauthenticated(await dpop(`${ANY_OF_OURS}/things`, tokens.access_token, once), `DPoP error="invalid_dpop_proof", error_description="DPoP proof replayed", ${ALGS}`, 'DPoP proof replayed');
  assert.equal(upstream.seen.length, before + 1, 'a refused call never reaches the upstream');
});

test(`our certificate-bound access token is refused on the public listener, which cannot check its certificate (${storeKind})`, async () => {
  const certificatePartner = await obPartner(app);
  const created = await certificatePartner.call('POST', AIS_CONSENTS, { body: accountAccessBody(), token: await certificatePartner.token('accounts') });
  assert.equal(created.status, 201, created.text);
  const tokens = await certificatePartner.authorise(created.json.Data.ConsentId as string, 'accounts');
  const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString('utf8')) as { cnf?: Record<string, unknown> };
  assert.equal(typeof claims.cnf?.['x5t#S256'], 'string', 'bound to the partner\'s certificate');
  const detail = 'The access token is bound to a TLS client certificate, which this listener cannot check (it asks for none)';
  const before = upstream.seen.length;
  await assertUnauthenticated(await bearer(`${STATEMENTS}/statements`, tokens.access_token), `Bearer error="invalid_token", error_description="${detail}"`, detail);
  await assertUnauthenticated(await bearer(`${ANY_OF_OURS}/things`, await certificatePartner.token('accounts')), `Bearer error="invalid_token", error_description="${detail}"`, detail);
  assert.equal(upstream.seen.length, before);
});

test(`our access token is refused within 1 s once the partner revokes its refresh token (${storeKind})`, async () => {
  const { tokens } = await partner.authorisedAccountAccess();
  assert.equal((await statements(tokens.access_token)).status, 200);
  assert.equal((await dpop(`${ANY_OF_OURS}/things`, tokens.access_token)).status, 200, 'an API of ours that names no audience');

  await oc.tokenRevocation(partner.config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
  const before = upstream.seen.length;
  await assertInvalidToken(await refusedWithinASecond(() => statements(tokens.access_token)));
  await assertInvalidToken(await dpop(`${ANY_OF_OURS}/things`, tokens.access_token));
  assert.equal(upstream.seen.length, before, 'a refused call never reaches the upstream');
});

test(`our access token whose consent the partner withdraws is refused by an oauth2 API of our issuer within 1 s (${storeKind})`, async () => {
  const { consentId, tokens } = await partner.authorisedAccountAccess();
  assert.equal((await statements(tokens.access_token)).status, 200);

  assert.equal(await partner.withdraw(consentId), 204);
  await assertInvalidToken(await refusedWithinASecond(() => statements(tokens.access_token)));
});

test(`an ID token of ours is not an access token: an oauth2 API of our issuer refuses it (${storeKind})`, async () => {
  const { tokens } = await partner.authorisedAccountAccess();
  assert.equal((await dpop(`${ANY_OF_OURS}/things`, tokens.access_token)).status, 200);
  await assertUnauthenticated(await bearer(`${ANY_OF_OURS}/things`, tokens.id_token!), 'Bearer error="invalid_token", error_description="The access token is not valid"', 'The access token is not valid');
});
