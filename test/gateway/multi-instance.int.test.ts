import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import * as oc from 'openid-client';

import { openBankingResourceIndicator } from '../../src/auth/provider/resource-server.ts';
import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { runCli } from '../cli/run-cli.ts';
import { accountAccessBody } from '../consent/consent-bodies.ts';
import { childProcessEnv } from '../helpers/child-process-env.ts';
import { dpopPartner } from '../helpers/dpop-partner.ts';
import { eventually } from '../helpers/eventually.ts';
import { obPartner } from '../helpers/ob-partner.ts';
import { startPortcullisProcess, type PortcullisProcess } from '../helpers/portcullis-process.ts';
import { clientAssertion, postForm } from '../helpers/raw-oauth.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

/*
 * The cross-instance guarantees (issues 11 and 15), with two real instances on one PostgreSQL
 * database and one Redis, each its own process (`node src/main.ts`, as deployed), as a deployment
 * behind a load balancer runs them. They share the issuer, the partner URL and the PKI, and each
 * runs its own LISTEN/NOTIFY bridge; the test registers partners into the shared store as
 * `clients register` does. A partner's flow hops from one to the other. A revoked key, a
 * suspended application, a revoked consent and a revoked grant (for an `oauth2` API of our
 * issuer) are refused by the other instance within a second; a DPoP proof or a client assertion
 * one took is a replay to the other; a rate limit holds exactly across both; the catalogue changes
 * under load without failing a call; and what the CLI applies or deletes (a gateway file, a client)
 * reaches a running instance within a second.
 */

const skip = storeKind !== 'postgresql' && 'two instances share a store only on PostgreSQL (LISTEN/NOTIFY); embedded PGlite belongs to one process';
const REDIS_URL = 'redis://127.0.0.1:6379';
const AIS_CONSENTS = CONSENT_KINDS['account-access'].path;

let a: PortcullisProcess;
let b: PortcullisProcess;
let upstream: UpstreamServer;
let canary: UpstreamServer;
let bank: UpstreamServer;
let fetchTls: typeof fetch;
const cliDir = mkdtempSync(join(tmpdir(), 'portcullis-multi-'));
// The CLI as an operator runs it beside the instances: their store, its own secrets and certificates.
const cliEnv = (): Record<string, string> => ({
  ...childProcessEnv(), NODE_ENV: 'test', DATABASE_URL: process.env.DATABASE_URL!, DATA_DIR: join(cliDir, 'data'), CERTS_DIR: join(cliDir, 'certs'),
});

before(async () => {
  if (skip) return;
  upstream = await startUpstreamServer();
  canary = await startUpstreamServer();
  bank = await startUpstreamServer((_request, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ Data: { Account: [{ AccountId: 'acc-0001-current', Currency: 'GBP', AccountType: 'Personal', AccountSubType: 'CurrentAccount' }] }, Links: { Self: 'x' }, Meta: {} }));
  });
  a = await startPortcullisProcess({ REDIS_URL });
  b = await startPortcullisProcess({
    REDIS_URL, ISSUER: a.config.issuer, MTLS_BASE_URL: a.config.mtlsBaseUrl, GATEWAY_BASE_URL: a.config.gatewayBaseUrl, CERTS_DIR: a.certsDir,
  });
  fetchTls = tlsFetch(a.caPem);
});
after(async () => {
  await b?.close();
  await a?.close();
  for (const server of [upstream, canary, bank]) await server?.close();
  rmSync(cliDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** The admin API of `instance`, with its token. */
async function admin(instance: PortcullisProcess, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetchTls(`${instance.urls.admin}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${instance.secrets.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const result = await answer(response);
  assert.ok(result.status < 300, `${method} ${path}: ${result.status} ${JSON.stringify(result.body)}`);
  return result;
}

/** A GET on the public API listener of `instance`. */
const call = async (instance: PortcullisProcess, path: string, key?: string) => answer(await fetchTls(`${instance.urls.public}${path}`, { headers: key ? { 'x-api-key': key } : {} }));

const tag = () => randomBytes(5).toString('hex');

/** An API of A's making, published once `beforePublishing` is done. */
async function publishedApi(input: { name: string; basePath: string; authKind: 'api-key' | 'fapi' | 'oauth2'; settings?: Record<string, unknown>; upstreams: Array<{ url: string; weight: number }>; routes: Array<{ method: 'GET'; pathTemplate: string; policy?: { scopes: string[] } }> }, beforePublishing = async (_apiId: string) => {}) {
  const full = { ...input, version: 'v1' };
  const { id } = (await admin(a, 'POST', '/apis', full)).body as { id: string };
  await beforePublishing(id);
  await admin(a, 'POST', `/apis/${id}/lifecycle`, { to: 'published' });
  return { id, input: full };
}

/**
 * An `api-key` API with `routes` (GET), and a plan of `ratePerMinute` over it made before it is
 * published: an instance that routes the API knows the plan, read with it.
 */
async function keyApi(routes: string[], ratePerMinute: number) {
  const name = `multi-${tag()}`;
  let planId = '';
  const api = await publishedApi(
    { name, basePath: `/${name}/v1`, authKind: 'api-key', upstreams: [{ url: upstream.url, weight: 1 }], routes: routes.map((path) => ({ method: 'GET', pathTemplate: path })) },
    async (apiId) => {
      planId = (await admin(a, 'POST', '/plans', { name, selfService: true, apiIds: [apiId], ratePerMinute })).body.id;
    },
  );
  return { ...api, basePath: api.input.basePath, planId, planName: name };
}

/** An application subscribed to `planId`, with a key, all through A's admin API. */
async function subscriber(planId: string) {
  const organisation = (await admin(a, 'POST', '/organisations', { name: `Org ${tag()}` })).body;
  const application = (await admin(a, 'POST', '/applications', { organisationId: organisation.id, name: 'multi-instance app' })).body;
  assert.equal((await admin(a, 'POST', '/subscriptions', { applicationId: application.id, planId })).body.status, 'active');
  const issued = (await admin(a, 'POST', `/applications/${application.id}/keys`)).body;
  return { applicationId: application.id as string, key: issued.key as string, keyId: issued.id as string };
}

function assertProblem(refused: Answer, status: number, slug: string, detail: string): void {
  assert.equal(refused.status, status, JSON.stringify(refused.body));
  assert.equal(refused.headers.get('content-type'), 'application/problem+json');
  assert.equal(refused.body.type, `${a.config.issuer}/docs/problems/${slug}`);
  assert.equal(refused.body.status, status);
  assert.equal(refused.body.detail, detail);
}

test(`a key revoked on A is refused by B within a second (${storeKind})`, { skip }, async () => {
  const api = await keyApi(['/items/{id}'], 10_000);
  const { key, keyId } = await subscriber(api.planId);
  await eventually(async () => (await call(b, `${api.basePath}/items/1`, key)).status === 200, { withinMs: 1000, what: 'B admitting the key' });
  assert.equal((await call(a, `${api.basePath}/items/1`, key)).status, 200, 'both instances admit it, and B has it cached');

  await admin(a, 'POST', `/keys/${keyId}/revoke`);
  await eventually(async () => (await call(b, `${api.basePath}/items/1`, key)).status !== 200, { withinMs: 1000, what: 'B refusing the revoked key' });
  const refused = await call(b, `${api.basePath}/items/1`, key);
  assertProblem(refused, 401, 'unauthenticated', 'The API key is not valid');
  assert.equal(refused.headers.get('www-authenticate'), 'ApiKey');
  assert.equal((await call(a, `${api.basePath}/items/1`, key)).status, 401);
});

test(`an application suspended on A is refused by B within a second, and reactivated on B is admitted by A within a second (${storeKind})`, { skip }, async () => {
  const api = await keyApi(['/items/{id}'], 10_000);
  const { applicationId, key } = await subscriber(api.planId);
  await eventually(async () => (await call(b, `${api.basePath}/items/2`, key)).status === 200, { withinMs: 1000, what: 'B admitting the key' });
  assert.equal((await call(a, `${api.basePath}/items/2`, key)).status, 200);

  await admin(a, 'POST', `/applications/${applicationId}/suspend`);
  await eventually(async () => (await call(b, `${api.basePath}/items/2`, key)).status !== 200, { withinMs: 1000, what: 'B refusing the suspended application' });
  assertProblem(await call(b, `${api.basePath}/items/2`, key), 403, 'forbidden', 'The application this key belongs to is suspended');
  assert.equal((await call(a, `${api.basePath}/items/2`, key)).status, 403, 'A holds the refusal now');

  // The other way: B's bridge announces, A's listens.
  await admin(b, 'POST', `/applications/${applicationId}/reactivate`);
  await eventually(async () => (await call(a, `${api.basePath}/items/2`, key)).status === 200, { withinMs: 1000, what: 'A admitting the reactivated application' });
});

/** A published Open Banking accounts API (`fapi`), and a partner's account access consent made on A, awaiting the customer. */
async function accountsApiWithConsent() {
  const name = `multi-${tag()}`;
  const api = await publishedApi({
    name, basePath: `/open-banking/${name}/aisp`, authKind: 'fapi', upstreams: [{ url: bank.url, weight: 1 }],
    routes: [{ method: 'GET', pathTemplate: '/accounts', policy: { scopes: ['accounts'] } }],
  });
  const partner = await obPartner(a);
  const created = await partner.call('POST', AIS_CONSENTS, { body: accountAccessBody(), token: await partner.token('accounts') });
  assert.equal(created.status, 201, created.text);
  return { api, partner, consentId: created.json.Data.ConsentId as string };
}

test(`a consent the partner revokes on A is refused by B's Open Banking gateway within a second (${storeKind})`, { skip }, async () => {
  const { api, partner, consentId } = await accountsApiWithConsent();
  const { access_token: token } = await partner.authorise(consentId, 'accounts');

  const onB = tlsFetch(a.caPem, a.sampleClient);
  const accountsOnB = async () => answer(await onB(`${b.urls.partner}${api.input.basePath}/accounts`, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } }));
  await eventually(async () => (await accountsOnB()).status === 200, { withinMs: 1000, what: 'B serving the consent' });
  assert.deepEqual((await accountsOnB()).body.Data.Account.map((account: { AccountId: string }) => account.AccountId), ['acc-0001-current']);

  const revoked = await partner.call('DELETE', `${AIS_CONSENTS}/${consentId}`, { token: await partner.token('accounts') });
  assert.equal(revoked.status, 204, revoked.text);
  await eventually(async () => (await accountsOnB()).status !== 200, { withinMs: 1000, what: 'B refusing the revoked consent' });
  const refused = await accountsOnB();
  assert.equal(refused.status, 401, JSON.stringify(refused.body));
  assert.equal(refused.body.Errors[0].ErrorCode, 'UK.OBIE.Header.Invalid');
});

/**
 * `fetchImpl`, with A's origins swapped for B's: what a load balancer does when it sends the
 * request to B. The URLs the client holds stay the shared issuer's.
 */
function toB(fetchImpl: typeof fetch): typeof fetch {
  const origins = new Map([[a.urls.browser, b.urls.browser], [a.urls.partner, b.urls.partner], [a.urls.public!, b.urls.public]]);
  return ((input: string | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const target = origins.get(url.origin);
    assert.ok(target, `no B for ${url.origin}`);
    return fetchImpl(new URL(`${url.pathname}${url.search}`, target), init);
  }) as typeof fetch;
}

test(`a partner's flow hops between instances: consent on A, pushed to A, authorised by the customer on B, code exchanged on B, accounts read on B, refreshed on A (${storeKind})`, { skip }, async () => {
  const { api, partner, consentId } = await accountsApiWithConsent();

  // The same client, discovered through B: its token endpoint (mutual TLS) is B's.
  const onB = toB(tlsFetch(a.caPem, a.sampleClient));
  const configOnB = await oc.discovery(new URL(a.config.issuer), partner.clientId, { use_mtls_endpoint_aliases: true }, oc.PrivateKeyJwt({ key: partner.keys.privateKey, kid: partner.keys.kid }), { [oc.customFetch]: onB as never });
  assert.equal(configOnB.serverMetadata().issuer, a.config.issuer, 'B names the shared issuer');
  const tokens = await partner.authorise(consentId, 'accounts', { elsewhere: { customerFetch: toB(tlsFetch(a.caPem)), config: configOnB } });
  assert.ok(tokens.access_token && tokens.refresh_token);

  const accounts = async (fetchImpl: typeof fetch, token: string) => answer(await fetchImpl(`${a.urls.partner}${api.input.basePath}/accounts`, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } }));
  await eventually(async () => (await accounts(onB, tokens.access_token)).status === 200, { withinMs: 1000, what: 'B serving the consent it authorised' });
  assert.deepEqual((await accounts(onB, tokens.access_token)).body.Data.Account.map((account: { AccountId: string }) => account.AccountId), ['acc-0001-current']);

  // The refresh token B issued is redeemed at A; the new access token works on both.
  const refreshed = await oc.refreshTokenGrant(partner.config, tokens.refresh_token!);
  assert.notEqual(refreshed.access_token, tokens.access_token);
  assert.equal((await accounts(tlsFetch(a.caPem, a.sampleClient), refreshed.access_token)).status, 200, 'A serves it');
  assert.equal((await accounts(onB, refreshed.access_token)).status, 200, 'B serves it');
  const consent = await partner.call('GET', `${AIS_CONSENTS}/${consentId}`, { token: await partner.token('accounts') });
  assert.equal(consent.json.Data.Status, 'Authorised');
});

/** A published `oauth2` API of our issuer for the Open Banking resource's tokens, and a DPoP partner with a token for it Alice authorised. */
async function oursWithToken() {
  const name = `multi-${tag()}`;
  const oauth2 = { issuer: a.config.issuer, jwksUri: `${a.config.issuer}/jwks`, audience: openBankingResourceIndicator(a.config.mtlsBaseUrl) };
  const api = await publishedApi({
    name, basePath: `/${name}/v1`, authKind: 'oauth2', settings: { oauth2 }, upstreams: [{ url: upstream.url, weight: 1 }],
    routes: [{ method: 'GET', pathTemplate: '/statements', policy: { scopes: ['accounts'] } }],
  });
  const partner = await dpopPartner(a);
  const { tokens } = await partner.authorisedAccountAccess();
  // Both instances answer at the one public URL the load balancer gives them, which the proofs name.
  const url = `${a.config.gatewayBaseUrl}${api.input.basePath}/statements`;
  const statements = async (instance: PortcullisProcess, proof?: string) => answer(await fetchTls(`${instance.urls.public}${api.input.basePath}/statements`, {
    headers: { authorization: `DPoP ${tokens.access_token}`, dpop: proof ?? await partner.proof('GET', url, tokens.access_token) },
  }));
  return { partner, tokens, url, statements };
}

test(`a token of ours whose grant is revoked on A is refused by B's oauth2 API of our issuer within a second (${storeKind})`, { skip }, async () => {
  const { partner, tokens, statements } = await oursWithToken();
  await eventually(async () => (await statements(b)).status === 200, { withinMs: 1000, what: 'B admitting the token' });
  assert.equal((await statements(a)).status, 200, 'both instances admit it, and B holds its grant as standing');

  // The partner revokes its refresh token at A: oidc-provider revokes the grant, and A announces it.
  await oc.tokenRevocation(partner.config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
  await eventually(async () => (await statements(b)).status !== 200, { withinMs: 1000, what: "B refusing the revoked grant's token" });
  const refused = await statements(b);
  assertProblem(refused, 401, 'unauthenticated', 'The access token is not valid');
  assert.equal(refused.headers.get('www-authenticate'), 'DPoP error="invalid_token", error_description="The access token is not valid", algs="PS256 ES256 EdDSA"');
  assert.equal((await statements(a)).status, 401);
});

test(`a DPoP proof A took is refused by B as replayed, and the other way round (${storeKind})`, { skip }, async () => {
  const { partner, tokens, url, statements } = await oursWithToken();
  await eventually(async () => (await statements(b)).status === 200, { withinMs: 1000, what: 'B admitting the token' });
  const replayed = 'DPoP proof replayed';
  for (const [first, second] of [[a, b], [b, a]] as const) {
    const proof = await partner.proof('GET', url, tokens.access_token);
    assert.equal((await statements(first, proof)).status, 200);
    const refused = await statements(second, proof);
    assertProblem(refused, 401, 'unauthenticated', replayed);
    assert.equal(refused.headers.get('www-authenticate'), `DPoP error="invalid_dpop_proof", error_description="${replayed}", algs="PS256 ES256 EdDSA"`);
  }
});

test(`one client assertion sent to A and B at once, ten times over, buys exactly one token (${storeKind})`, { skip }, async () => {
  const partner = await obPartner(a);
  const fetchMtls = tlsFetch(a.caPem, a.sampleClient);
  const tokenPath = new URL(partner.config.serverMetadata().mtls_endpoint_aliases!.token_endpoint!).pathname;
  const form = {
    grant_type: 'client_credentials', scope: 'accounts', client_id: partner.clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await clientAssertion(partner.keys, partner.clientId, a.config.issuer),
  };
  const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => postForm(fetchMtls, new URL(tokenPath, (index % 2 ? b : a).urls.partner).href, form)));
  assert.deepEqual(answers.map((one) => one.status).sort(), [200, ...Array(9).fill(401)]);
  for (const refused of answers.filter((one) => one.status === 401)) assert.equal(refused.body['error'], 'invalid_client');
});

test(`a client the CLI deletes gets no more tokens from B, which held its registration, within a second (${storeKind})`, { skip }, async () => {
  const partner = await obPartner(a);
  // The load balancer sends the partner's token requests to B; the client assertion names the shared issuer.
  const tokenEndpoint = new URL(new URL(partner.config.serverMetadata().mtls_endpoint_aliases!.token_endpoint!).pathname, b.urls.partner).href;
  const fetchMtls = tlsFetch(a.caPem, a.sampleClient);
  const tokenFromB = async () => postForm(fetchMtls, tokenEndpoint, {
    grant_type: 'client_credentials', scope: 'accounts', client_id: partner.clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await clientAssertion(partner.keys, partner.clientId, a.config.issuer),
  });
  const issued = await tokenFromB();
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  assert.equal((await tokenFromB()).status, 200, 'B holds the registration in its client cache');

  const deleted = await runCli(['clients', 'delete', partner.clientId], cliEnv());
  assert.equal(deleted.code, 0, deleted.stderr);
  await eventually(async () => (await tokenFromB()).status !== 200, { withinMs: 1000, what: 'B refusing the deleted client' });
  const refused = await tokenFromB();
  assert.equal(refused.status, 401, JSON.stringify(refused.body));
  assert.equal(refused.body['error'], 'invalid_client');
});

test(`two instances on one Redis admit exactly a plan's 20 calls a minute among 60 concurrent ones (${storeKind})`, { skip }, async () => {
  const api = await keyApi(['/items/{id}'], 20);
  const { key } = await subscriber(api.planId);
  // Both route the API (a call without a key counts nothing), and so know its plan, read with it.
  for (const instance of [a, b]) await eventually(async () => (await call(instance, `${api.basePath}/items/0`)).status === 401, { withinMs: 1000, what: 'the API routed' });
  // The minute window is the calendar's: a burst across its end would count in two.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_050 - intoMinute));
  const forwardedBefore = upstream.seen.length;

  const answers = await Promise.all(Array.from({ length: 60 }, (_, index) => call(index % 2 ? b : a, `${api.basePath}/items/${index}`, key)));
  const admitted = answers.filter((one) => one.status === 200);
  const refused = answers.filter((one) => one.status !== 200);
  assert.equal(admitted.length, 20, `admitted: ${admitted.length}`);
  assert.equal(upstream.seen.length - forwardedBefore, 20, 'only admitted calls reach the upstream');
  for (const one of refused) {
    assertProblem(one, 429, 'rate-limited', 'Too many requests; slow down');
    const retryAfter = Number(one.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
    assert.equal(one.headers.get('ratelimit-policy'), '"per-minute";q=20;w=60');
    assert.match(one.headers.get('ratelimit') ?? '', /^"per-minute";r=0;t=\d+$/);
  }
});

test(`B keeps serving every call while A changes the API and its plan, and routes each change within a second (${storeKind})`, { skip }, async () => {
  const api = await keyApi(['/load'], 1_000_000);
  const { key } = await subscriber(api.planId);
  await eventually(async () => (await call(b, `${api.basePath}/load`, key)).status === 200, { withinMs: 1000, what: 'B routing the API' });

  const outcomes: Array<number | string> = [];
  let loading = true;
  const loops = Array.from({ length: 8 }, async () => {
    while (loading) {
      try {
        const response = await fetchTls(`${b.urls.public}${api.basePath}/load`, { headers: { 'x-api-key': key } });
        await response.arrayBuffer();
        outcomes.push(response.status);
      } catch (error) {
        outcomes.push(`${(error as Error).message}: ${String((error as Error).cause)}`);
      }
    }
  });

  const started = performance.now();
  const seenMs: number[] = [];
  const routes = ['/load'];
  let ratePerMinute = 1_000_000;
  const replaceApi = (upstreams: Array<{ url: string; weight: number }>) => admin(a, 'PUT', `/apis/${api.id}`, {
    ...api.input, upstreams, routes: routes.map((path) => ({ method: 'GET', pathTemplate: path })),
  });
  for (let round = 1; performance.now() - started < 2000; round += 1) {
    routes.push(`/added-${round}`);
    await replaceApi(api.input.upstreams);
    seenMs.push(await eventually(async () => (await call(b, `${api.basePath}/added-${round}`, key)).status === 200, { withinMs: 1000, what: 'B routing the added route' }));

    ratePerMinute -= 1;
    await admin(a, 'PUT', `/plans/${api.planId}`, { name: api.planName, selfService: true, apiIds: [api.id], ratePerMinute });
    seenMs.push(await eventually(async () => (await call(b, `${api.basePath}/load`, key)).headers.get('ratelimit-policy')?.includes(`q=${ratePerMinute};`) === true, { withinMs: 1000, what: 'B limiting by the changed plan' }));

    const canaryBefore = canary.seen.length;
    await replaceApi([...api.input.upstreams, { url: canary.url, weight: 1 }]);
    seenMs.push(await eventually(async () => canary.seen.length > canaryBefore, { withinMs: 1000, what: 'B forwarding to the canary' }));
    await replaceApi(api.input.upstreams);
  }
  loading = false;
  await Promise.all(loops);

  assert.ok(seenMs.length >= 3 && seenMs.every((ms) => ms < 1000), `each change seen within a second: ${seenMs.map(Math.round).join(', ')} ms`);
  assert.ok(outcomes.length > 100, `a steady load: ${outcomes.length} calls`);
  const failed = outcomes.filter((outcome) => outcome !== 200);
  assert.deepEqual(failed, [], `${failed.length} of ${outcomes.length} calls failed`);
});

test(`what \`gateway apply\` writes from the CLI is served by a running instance within a second (${storeKind})`, { skip }, async () => {
  const name = `multi-cli-${tag()}`;
  const basePath = `/${name}/v1`;
  const SUNSET = new Date('2099-01-01T00:00:00Z');
  const file = (lifecycle: string) => {
    const path = join(cliDir, `${name}-${lifecycle}.yaml`);
    writeFileSync(path, [
      'apis:',
      `  - name: ${name}`,
      '    version: v1',
      `    basePath: ${basePath}`,
      '    authKind: none',
      `    lifecycle: ${lifecycle}`,
      ...(lifecycle === 'deprecated' ? [`    sunsetAt: ${SUNSET.toISOString()}`] : []),
      '    upstreams:',
      `      - { url: "${upstream.url}", weight: 1 }`,
      '    routes:',
      '      - method: GET',
      '        pathTemplate: /hello',
      'plans: []',
      '',
    ].join('\n'));
    return path;
  };
  // --no-delete keeps other tests' APIs.
  const apply = async (path: string) => {
    const result = await runCli(['gateway', 'apply', path, '--no-delete'], cliEnv());
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  };
  assert.equal((await call(b, `${basePath}/hello`)).status, 404);

  assert.match(await apply(file('published')), new RegExp(`^\\+ api ${name} v1\\n`));
  await eventually(async () => (await call(b, `${basePath}/hello`)).status === 200, { withinMs: 1000, what: 'B serving the published API' });
  assert.deepEqual((await call(b, `${basePath}/hello`)).body, { method: 'GET', url: '/hello' });

  assert.match(await apply(file('deprecated')), /lifecycle published → deprecated/);
  await eventually(async () => (await call(b, `${basePath}/hello`)).headers.get('sunset') === SUNSET.toUTCString(), { withinMs: 1000, what: 'B announcing the sunset' });
});
