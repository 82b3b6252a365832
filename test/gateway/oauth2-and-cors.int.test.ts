import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import { after, before, test } from 'node:test';

import type { JSONWebKeySet } from 'jose';

import { verifyCallerIdentity } from '../../src/gateway/upstream/caller-identity.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi } from '../helpers/gateway-catalogue.ts';
import { startJwtIssuer, type JwtIssuer } from '../helpers/jwt-issuer.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { accessTokenHash, dpopKey, dpopProof, type DpopKey } from '../helpers/raw-oauth.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

/*
 * `oauth2` APIs on the public listener, trusting another authorization server by its JWKS URL: a
 * JWT access token is checked for its signature, issuer, audience and expiry, then for its holder
 * when it is bound (`cnf`): a DPoP-bound one needs the DPoP scheme and one proof for this method
 * and public URL, this token, by its key, fresh and unseen (RFC 9449 §7); a certificate-bound one
 * cannot be checked without a client certificate and is refused. Then the route's scopes (`scope`
 * or `scp`) and claim rules (the token's `org` must be the `{clinicId}` of the path). Each refusal
 * has its status, challenge and problem details. And CORS per API, for browser clients of the
 * origins the API lists: preflights answered or not (a `DPoP` header allowed), headers on actual
 * responses, errors included.
 */

const suffix = randomUUID().slice(0, 8);
const base = `/clinics-${suffix}/v3`;
const closed = `/closed-${suffix}/v1`;
const AUDIENCE = `clinics-${suffix}`;
const ALLOWED = 'https://app.example';
const ALGS = 'algs="PS256 ES256 EdDSA"';

let app: TestPortcullis;
let upstream: UpstreamServer;
let issuer: JwtIssuer;
let call: typeof fetch;

const token = (claims: Record<string, unknown> = {}, options: { audience?: string; foreignKey?: boolean } = {}) =>
  issuer.token(options.audience ?? AUDIENCE, { claims: { scope: 'patients:read', org: 'c1', ...claims }, ...(options.foreignKey ? { foreignKey: true } : {}) });
const send = (path: string, headers: Record<string, string> = {}, method = 'GET') => call(`${app.urls.public}${path}`, { method, headers });
const bearer = async (path: string, jwt: string | Promise<string>, headers: Record<string, string> = {}) => send(path, { authorization: `Bearer ${await jwt}`, ...headers });

async function refusal(response: Response, status: number, detail: string, challenge: string | null): Promise<void> {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('www-authenticate'), challenge);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  const body = await response.json() as Record<string, unknown>;
  assert.equal(body['status'], status);
  assert.equal(body['type'], `${app.config.issuer}/docs/problems/${status === 401 ? 'unauthenticated' : 'forbidden'}`);
  assert.equal(body['detail'], detail);
}

before(async () => {
  upstream = await startUpstreamServer();
  issuer = await startJwtIssuer();
  app = await startTestPortcullis();
  call = tlsFetch(app.caPem);
  const upstreams = [{ url: upstream.url, weight: 1 }];
  const oauth2 = { issuer: issuer.issuer, jwksUri: issuer.jwksUri, audience: AUDIENCE };
  await addTestApi(app.db, app.events, {
    basePath: base, authKind: 'oauth2', upstreams, settings: { oauth2, corsOrigins: [ALLOWED, 'https://admin.example'] },
    routes: [
      { method: 'GET', path: '/clinics/{clinicId}/patients', policy: { scopes: ['patients:read'], claims: [{ claim: 'org', equalsParam: 'clinicId' }] } },
      { method: 'POST', path: '/clinics/{clinicId}/notes', policy: { scopes: ['notes:write'] } },
    ],
  });
  await addTestApi(app.db, app.events, { basePath: closed, authKind: 'oauth2', upstreams, settings: { oauth2 }, routes: [{ method: 'GET', path: '/things' }] });
  await eventually(async () => (await send(`${closed}/things`)).status === 401, { withinMs: 3000, what: 'the APIs routed' });
});
after(async () => {
  await app?.close();
  await upstream?.close();
  await issuer?.close();
});

test(`a token of the configured issuer, for this audience, with the scope and the clinic's org, goes through (${storeKind})`, async () => {
  const jwt = await token();
  const response = await bearer(`${base}/clinics/c1/patients?page=2`, jwt);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { method: 'GET', url: '/clinics/c1/patients?page=2' });
  const seen = upstream.seen.at(-1)!;
  assert.equal(seen.headers['authorization'], undefined, 'the token stays at the gateway');
  const gatewayKeys = await (await call(`${app.urls.browser}/jwks`)).json() as JSONWebKeySet;
  const identity = await verifyCallerIdentity(seen.headers['x-portcullis-identity'] as string, { jwks: gatewayKeys, issuer: app.config.issuer, audience: upstream.url, clock: systemClock });
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { client_id: string };
  assert.equal(identity.clientId, claims.client_id);
  assert.deepEqual(identity.scopes, ['patients:read']);

  assert.equal((await bearer(`${base}/clinics/c1/patients`, token({ scope: undefined, scp: ['patients:read', 'other'] }))).status, 200, 'scopes as an `scp` array');
  assert.equal((await bearer(`${base}/clinics/42/patients`, token({ org: 42 }))).status, 200, 'a numeric claim compared as text');
  assert.equal(issuer.jwksFetches(), 1, 'the issuer\'s keys are fetched once and cached');
});

test(`missing or unusable tokens are 401 with the Bearer challenge, and never reach the upstream (${storeKind})`, async () => {
  const before = upstream.seen.length;
  const patients = `${base}/clinics/c1/patients`;
  await refusal(await send(patients), 401, 'An access token is required', `Bearer, DPoP ${ALGS}`);
  await refusal(await send(patients, { authorization: 'Basic dXNlcjpwdw==' }), 401, 'The Authorization header holds no Bearer or DPoP access token',
    'Bearer error="invalid_request", error_description="The Authorization header holds no Bearer or DPoP access token"');
  const invalid = 'Bearer error="invalid_token", error_description="The access token is not valid"';
  await refusal(await bearer(patients, token({ iss: 'https://someone-else.example' })), 401, 'The access token is not valid', invalid);
  await refusal(await bearer(patients, token({}, { foreignKey: true })), 401, 'The access token is not valid', invalid);
  await refusal(await bearer(patients, 'not.a.jwt'), 401, 'The access token is not valid', invalid);
  const [header, , signature] = (await token()).split('.');
  const forged = Buffer.from(JSON.stringify({ iss: issuer.issuer, aud: AUDIENCE, scope: 'patients:read', org: 'c1', exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
  await refusal(await bearer(patients, `${header}.${forged}.${signature}`), 401, 'The access token is not valid', invalid);
  await refusal(await bearer(patients, token({ exp: undefined })), 401, 'The access token is not valid', invalid);
  await refusal(await bearer(patients, token({}, { audience: 'another-api' })), 401, 'The access token is not for this API',
    'Bearer error="invalid_token", error_description="The access token is not for this API"');
  const past = Math.floor(Date.now() / 1000) - 60;
  await refusal(await bearer(patients, token({ iat: past - 300, exp: past })), 401, 'The access token has expired',
    'Bearer error="invalid_token", error_description="The access token has expired"');
  assert.equal(upstream.seen.length, before);
});

const patients = `${base}/clinics/c1/patients`;
/** A token of the issuer bound to `key` (RFC 9449 §6.1), with the default claims over `claims`. */
const boundToken = (key: DpopKey, claims: Record<string, unknown> = {}) => token({ cnf: { jkt: key.thumbprint }, ...claims });
/** A proof by `key` for `method` and the public URL of `path`, with `jwt`; `claims` change what it says. */
const proof = (key: DpopKey, jwt: string, path = patients, claims: Record<string, unknown> = {}, method = 'GET') =>
  dpopProof(key, method, `${app.config.gatewayBaseUrl}${path}`, { ath: accessTokenHash(jwt), ...claims });
/** GET `path` with `jwt` under the DPoP scheme, and `dpop` when given. */
const withProof = (path: string, jwt: string, dpop?: string) => send(path, { authorization: `DPoP ${jwt}`, ...(dpop ? { dpop } : {}) });

/** GET `path` with these headers, a header given twice sent on two lines (fetch would join them into one). */
function sendLines(path: string, headers: Record<string, string | string[]>): Promise<Response> {
  return new Promise((resolve, reject) => {
    const sent = request(`${app.urls.public}${path}`, { ca: app.caPem, headers }, async (answer) => {
      const chunks: Buffer[] = [];
      for await (const chunk of answer) chunks.push(chunk as Buffer);
      const received = new Headers(Object.entries(answer.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])));
      resolve(new Response(Buffer.concat(chunks), { status: answer.statusCode!, headers: received }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

test(`a DPoP-bound token goes through with the DPoP scheme and a fresh proof for this method and URL; an unbound one as a bearer token (${storeKind})`, async () => {
  const key = await dpopKey();
  const jwt = await boundToken(key);
  // RFC 9449 §4.3: htu is compared without its query.
  const read = await withProof(`${patients}?page=2`, jwt, await proof(key, jwt, `${patients}?page=2`));
  assert.equal(read.status, 200, await read.clone().text());
  assert.deepEqual(await read.json(), { method: 'GET', url: '/clinics/c1/patients?page=2' });
  const seen = upstream.seen.at(-1)!;
  assert.deepEqual([seen.headers['authorization'], seen.headers['dpop']], [undefined, undefined], 'the token and its proof stay at the gateway');

  const notesToken = await boundToken(key, { scope: 'notes:write' });
  const notes = await call(`${app.urls.public}${base}/clinics/c1/notes`, {
    method: 'POST', body: '{}',
    headers: { authorization: `DPoP ${notesToken}`, dpop: await proof(key, notesToken, `${base}/clinics/c1/notes`, {}, 'POST'), 'content-type': 'application/json' },
  });
  assert.equal(notes.status, 200, await notes.clone().text());
  assert.equal((await bearer(patients, token())).status, 200, 'a token bound to nothing, as a bearer token');
});

test(`a DPoP-bound token without its holder's proof is 401: invalid_dpop_proof for the proof, invalid_token for the token or its key (${storeKind})`, async () => {
  const key = await dpopKey();
  const jwt = await boundToken(key);
  const proofRefused = (detail: string) => [401, detail, `DPoP error="invalid_dpop_proof", error_description="${detail}", ${ALGS}`] as const;
  const tokenRefused = (detail: string) => [401, detail, `DPoP error="invalid_token", error_description="${detail}", ${ALGS}`] as const;
  const before = upstream.seen.length;

  // RFC 9449 §7.2: as a bearer token it is refused, proof or not.
  await refusal(await bearer(patients, jwt, { dpop: await proof(key, jwt) }), ...tokenRefused('The access token is DPoP-bound: send it with the DPoP scheme and a DPoP proof'));
  await refusal(await withProof(patients, jwt), ...proofRefused('DPoP proof missing'));
  await refusal(await sendLines(patients, { authorization: `DPoP ${jwt}`, dpop: [await proof(key, jwt), await proof(key, jwt)] }), ...proofRefused('more than one DPoP header'));
  await refusal(await withProof(patients, jwt, await proof(key, jwt, `${base}/clinics/c2/patients`)), ...proofRefused('DPoP proof htu mismatch'));
  await refusal(await withProof(patients, jwt, await dpopProof(key, 'GET', `${app.urls.browser}${patients}`, { ath: accessTokenHash(jwt) })), ...proofRefused('DPoP proof htu mismatch'));
  await refusal(await withProof(patients, jwt, await proof(key, jwt, patients, {}, 'POST')), ...proofRefused('DPoP proof htm mismatch'));
  await refusal(await withProof(patients, jwt, await proof(key, jwt, patients, { ath: accessTokenHash(await boundToken(key)) })), ...proofRefused('DPoP proof ath mismatch'));
  await refusal(await withProof(patients, jwt, await proof(key, jwt, patients, { iat: Math.floor(Date.now() / 1000) - 600 })), ...proofRefused('invalid DPoP proof (ERR_JWT_EXPIRED)'));
  const [header, , signature] = (await proof(key, jwt)).split('.');
  const forged = `${header}.${(await proof(key, jwt, `${base}/clinics/c2/patients`)).split('.')[1]}.${signature}`;
  await refusal(await withProof(patients, jwt, forged), ...proofRefused('invalid DPoP proof (ERR_JWS_SIGNATURE_VERIFICATION_FAILED)'));
  await refusal(await withProof(patients, jwt, await proof(await dpopKey(), jwt)), ...tokenRefused('DPoP proof key does not match the token binding'));
  assert.equal(upstream.seen.length, before, 'no refused call reaches the upstream');

  const jti = randomUUID();
  const once = await proof(key, jwt, patients, { jti });
  assert.equal((await withProof(patients, jwt, once)).status, 200);
  await refusal(await withProof(patients, jwt, once), ...proofRefused('DPoP proof replayed'));
  await refusal(await withProof(patients, jwt, await proof(key, jwt, patients, { jti, iat: Math.floor(Date.now() / 1000) - 1 })), ...proofRefused('DPoP proof replayed'));
  assert.equal(upstream.seen.length, before + 1);
});

test(`a token bound to a certificate, or by a method the gateway does not know, is 401 invalid_token saying so; an unbound one under the DPoP scheme is told to use Bearer (${storeKind})`, async () => {
  const key = await dpopKey();
  const certificate = 'The access token is bound to a TLS client certificate, which this listener cannot check (it asks for none)';
  const unknown = 'The access token is bound to a key this gateway cannot check';
  const x5t = accessTokenHash('a client certificate');
  const before = upstream.seen.length;

  await refusal(await bearer(patients, token({ cnf: { 'x5t#S256': x5t } })), 401, certificate, `Bearer error="invalid_token", error_description="${certificate}"`);
  const both = await token({ cnf: { jkt: key.thumbprint, 'x5t#S256': x5t } });
  await refusal(await withProof(patients, both, await proof(key, both)), 401, certificate, `DPoP error="invalid_token", error_description="${certificate}", ${ALGS}`);
  await refusal(await bearer(patients, token({ cnf: { jwk: key.publicJwk } })), 401, unknown, `Bearer error="invalid_token", error_description="${unknown}"`);
  await refusal(await bearer(patients, token({ cnf: { jkt: key.thumbprint, kid: 'k1' } })), 401, unknown, `Bearer error="invalid_token", error_description="${unknown}"`);
  await refusal(await bearer(patients, token({ cnf: key.thumbprint })), 401, unknown, `Bearer error="invalid_token", error_description="${unknown}"`);

  const unbound = await token();
  const useBearer = 'The access token is not DPoP-bound: send it with the Bearer scheme';
  await refusal(await withProof(patients, unbound, await proof(key, unbound)), 401, useBearer, `Bearer error="invalid_token", error_description="${useBearer}"`);
  await refusal(await withProof(patients, await token({}, { foreignKey: true }), await proof(key, unbound)), 401, 'The access token is not valid',
    `DPoP error="invalid_token", error_description="The access token is not valid", ${ALGS}`);
  assert.equal(upstream.seen.length, before);
});

test(`a token without the route's scope is 403 insufficient_scope naming it (${storeKind})`, async () => {
  const before = upstream.seen.length;
  await refusal(await bearer(`${base}/clinics/c1/patients`, token({ scope: 'notes:write' })), 403, 'This route needs the scope patients:read',
    'Bearer error="insufficient_scope", scope="patients:read"');
  const notes = await call(`${app.urls.public}${base}/clinics/c1/notes`, { method: 'POST', headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' }, body: '{}' });
  await refusal(notes, 403, 'This route needs the scope notes:write', 'Bearer error="insufficient_scope", scope="notes:write"');
  assert.equal(upstream.seen.length, before);
});

test(`a claim rule holds the caller to its own records: org must be the path's {clinicId} (${storeKind})`, async () => {
  const before = upstream.seen.length;
  const detail = "The token's org does not match the {clinicId} of this path";
  await refusal(await bearer(`${base}/clinics/c2/patients`, token({ org: 'c1' })), 403, detail, null);
  await refusal(await bearer(`${base}/clinics/c1/patients`, token({ org: undefined })), 403, detail, null);
  await refusal(await bearer(`${base}/clinics/c1/patients`, token({ org: ['c1'] })), 403, detail, null);
  await refusal(await bearer(`${base}/clinics/${encodeURIComponent('[object Object]')}/patients`, token({ org: {} })), 403, detail, null);
  assert.equal(upstream.seen.length, before);
  assert.equal((await bearer(`${base}/clinics/c2/patients`, token({ org: 'c2' }))).status, 200);
});

test(`CORS preflights: an origin the API lists gets what it asked for; any other gets nothing (${storeKind})`, async () => {
  const before = upstream.seen.length;
  const preflight = (path: string, origin: string, method = 'GET', headers = 'authorization, content-type') =>
    send(path, { origin, 'access-control-request-method': method, 'access-control-request-headers': headers }, 'OPTIONS');

  const allowed = await preflight(`${base}/clinics/c1/patients`, ALLOWED);
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), ALLOWED);
  assert.equal(allowed.headers.get('access-control-allow-methods'), 'GET');
  assert.equal(allowed.headers.get('access-control-allow-headers'), 'authorization, content-type');
  assert.equal(allowed.headers.get('access-control-max-age'), '600');
  assert.equal(allowed.headers.get('access-control-allow-credentials'), null, 'credentials travel in headers, never cookies');
  assert.match(allowed.headers.get('vary') ?? '', /Origin/);
  const withDpop = await preflight(`${base}/clinics/c1/patients`, ALLOWED, 'GET', 'authorization, dpop');
  assert.equal(withDpop.status, 204);
  assert.equal(withDpop.headers.get('access-control-allow-headers'), 'authorization, dpop', 'a DPoP proof may be sent');
  const post = await preflight(`${base}/clinics/c1/notes`, 'https://admin.example', 'POST');
  assert.equal(post.status, 204);
  assert.equal(post.headers.get('access-control-allow-origin'), 'https://admin.example');
  assert.equal(post.headers.get('access-control-allow-methods'), 'POST');

  for (const [path, origin] of [[`${base}/clinics/c1/patients`, 'https://evil.example'], [`${base}/clinics/c1/patients`, 'http://app.example'], [`${closed}/things`, ALLOWED]] as const) {
    const denied = await preflight(path, origin);
    assert.equal(denied.status, 405, `${origin} ${path}: routed as any OPTIONS`);
    assert.equal(denied.headers.get('access-control-allow-origin'), null, `${origin} ${path}`);
    assert.equal(denied.headers.get('access-control-allow-methods'), null, `${origin} ${path}`);
  }
  // A listed origin asking for what the API does not route: the refusal is readable, the preflight fails.
  for (const [path, method, status] of [[`${base}/nowhere`, 'GET', 404], [`${base}/clinics/c1/patients`, 'DELETE', 405]] as const) {
    const refused = await preflight(path, ALLOWED, method);
    assert.equal(refused.status, status, `${method} ${path}`);
    assert.equal(refused.headers.get('access-control-allow-methods'), null, `${method} ${path}`);
  }
  assert.equal(upstream.seen.length, before, 'preflights never reach the upstream');
});

test(`CORS on actual responses: an allowed origin gets Allow-Origin and the exposed headers, errors included (${storeKind})`, async () => {
  const ok = await bearer(`${base}/clinics/c1/patients`, token(), { origin: ALLOWED });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), ALLOWED);
  assert.equal(ok.headers.get('access-control-expose-headers'), 'RateLimit, RateLimit-Policy, Retry-After, Deprecation, Sunset, Link, WWW-Authenticate, x-fapi-interaction-id');
  assert.match(ok.headers.get('vary') ?? '', /Origin/);
  assert.equal(ok.headers.get('access-control-allow-credentials'), null);

  const refused = await send(`${base}/clinics/c1/patients`, { origin: ALLOWED });
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get('access-control-allow-origin'), ALLOWED, 'the browser may read why it was refused');
  const key = await dpopKey();
  const jwt = await boundToken(key);
  const unproven = await send(`${base}/clinics/c1/patients`, { origin: ALLOWED, authorization: `DPoP ${jwt}` });
  assert.equal(unproven.status, 401);
  assert.equal(unproven.headers.get('access-control-allow-origin'), ALLOWED);
  assert.match(unproven.headers.get('access-control-expose-headers') ?? '', /(^|, )WWW-Authenticate(,|$)/, 'and read the DPoP challenge');
  assert.equal(unproven.headers.get('www-authenticate'), `DPoP error="invalid_dpop_proof", error_description="DPoP proof missing", ${ALGS}`);

  const other = await bearer(`${base}/clinics/c1/patients`, token(), { origin: 'https://evil.example' });
  assert.equal(other.status, 200, 'CORS binds browsers, not the gateway');
  assert.equal(other.headers.get('access-control-allow-origin'), null);
  assert.equal(other.headers.get('access-control-expose-headers'), null);
  assert.equal((await bearer(`${closed}/things`, token(), { origin: ALLOWED })).headers.get('access-control-allow-origin'), null, 'an API that lists no origins');
  assert.equal((await bearer(`${base}/clinics/c1/patients`, token())).headers.get('access-control-allow-origin'), null, 'no Origin, no CORS');
});
