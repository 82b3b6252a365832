/**
 * oidc-provider's own rendering of a store outage: the provider as `npm start` builds it, over an
 * adapter whose database refuses every connection (for every model, or for one), so that an
 * endpoint fails at its first store call or in the middle. The refusing database needs no server,
 * so this runs on PGlite as well.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { exportJWK, generateKeyPair } from 'jose';
import type { Adapter, AdapterFactory } from 'oidc-provider';
import * as oc from 'openid-client';
import { pino } from 'pino';

import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import { passwordAuthenticator } from '../../../src/auth/customers/password-authenticator.ts';
import { registerClient } from '../../../src/auth/clients/register-client.ts';
import { createProvider } from '../../../src/auth/provider/create-provider.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { defaults } from '../../../src/config/defaults.ts';
import { openStore, type Knex } from '../../../src/db/knex.ts';
import { ACCOUNT_ACCESS_DETAILS, partnerKeys, REDIRECT_URI } from '../../helpers/partner-client.ts';
import { clientAssertion } from '../../helpers/raw-oauth.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';
import { closingDatabase, refusedDatabaseUrl } from '../../helpers/unreachable-database.ts';

interface LogLine {
  level: number;
  msg: string;
  event?: string;
  err?: unknown;
}

const ISSUER = 'https://as.portcullis.test';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const OUTAGE_BODY = { error: 'temporarily_unavailable', error_description: 'the service is temporarily unavailable, try again later' };

const logLines: LogLine[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as LogLine) });

let refusing: Knex;
let working: Knex;
let server: Server;
let base: string;

/** A client assertion's shape; the provider looks the client up before it checks any signature. */
function unsignedAssertion(clientId: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'PS256' })}.${encode({ iss: clientId, sub: clientId, aud: ISSUER, jti: 'j', exp: Math.floor(Date.now() / 1000) + 60 })}.c2ln`;
}

/** The provider as `npm start` builds it, over `adapter`, listening on plain HTTP behind a trusted "proxy". */
async function serveProvider(adapter: AdapterFactory) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ISSUER, TRUSTED_PROXIES: '127.0.0.1' });
  const { privateKey } = await generateKeyPair('PS256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(privateKey)), kid: 'k1', alg: 'PS256', use: 'sig' }] };
  const secrets = { keyEncryptionKey: randomBytes(32), cookieKeys: [randomBytes(32).toString('base64url')], dpopNonceSecret: randomBytes(32), adminToken: randomBytes(32).toString('base64url') };
  const provider = createProvider(ISSUER, { config, secrets, adapter, jwks, authenticator: passwordAuthenticator(refusing), trustAnchors: [] }, logger);
  const listener = createServer(provider.callback());
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  return { provider, listener, base: `http://127.0.0.1:${(listener.address() as AddressInfo).port}` };
}

before(async () => {
  refusing = openStore({ databaseUrl: await refusedDatabaseUrl() });
  working = await openTestStore();
  ({ listener: server, base } = await serveProvider(createStoreAdapter(refusing)));
});
after(async () => {
  server?.close();
  await refusing?.destroy();
  await working?.destroy();
});

/** A request as it arrives from our TLS listeners' trusted proxy. */
async function send(path: string, init: RequestInit & { form?: Record<string, string> } = {}, to = base) {
  const headers = new Headers(init.headers);
  headers.set('x-forwarded-proto', 'https');
  if (init.form) headers.set('content-type', 'application/x-www-form-urlencoded');
  const response = await fetch(`${to}${path}`, { ...init, headers, body: init.form ? new URLSearchParams(init.form).toString() : init.body, redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function assertOutageJson(what: string, answer: Awaited<ReturnType<typeof send>>): void {
  assert.equal(answer.status, 503, `${what}: ${answer.text}`);
  assert.equal(answer.headers.get('retry-after'), String(defaults.store.retryAfter), what);
  assert.equal(answer.headers.get('cache-control'), 'no-store', what);
  assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8', what);
  assert.deepEqual(JSON.parse(answer.text), OUTAGE_BODY, what);
}

describe('oidc-provider over a store that refuses connections', () => {
  test('token, PAR, introspection, revocation and userinfo answer 503 temporarily_unavailable with Retry-After', async () => {
    const clientAuth = { client_id: 'tpp-1', client_assertion_type: ASSERTION_TYPE, client_assertion: unsignedAssertion('tpp-1') };
    assertOutageJson('token', await send('/token', { method: 'POST', form: { grant_type: 'client_credentials', scope: 'accounts', ...clientAuth } }));
    assertOutageJson('par', await send('/par', { method: 'POST', form: { response_type: 'code', redirect_uri: 'https://tpp.example/cb', scope: 'openid', ...clientAuth } }));
    assertOutageJson('introspection', await send('/token/introspect', { method: 'POST', form: { token: 'x'.repeat(43), ...clientAuth } }));
    assertOutageJson('revocation', await send('/token/revoke', { method: 'POST', form: { token: 'x'.repeat(43), ...clientAuth } }));
    assertOutageJson('userinfo', await send('/userinfo', { headers: { authorization: `Bearer ${'x'.repeat(43)}` } }));
  });

  test('each is logged as store.unavailable with the driver error, under the endpoint event', () => {
    const outages = logLines.filter((line) => line.msg === 'store.unavailable');
    assert.deepEqual(outages.map((line) => line.event), ['grant.error', 'pushed_authorization_request.error', 'introspection.error', 'revocation.error', 'userinfo.error']);
    for (const line of outages) {
      assert.equal(line.level, 50);
      assert.match(JSON.stringify(line.err), /ECONNREFUSED/);
    }
  });

  test('the authorization endpoint, which cannot load the pushed request, renders the outage page with 503', async () => {
    const answer = await send(`/authorize?client_id=tpp-1&request_uri=${encodeURIComponent('urn:ietf:params:oauth:request_uri:abc')}`, { headers: { accept: 'text/html' } });
    assert.equal(answer.status, 503, answer.text.slice(0, 300));
    assert.equal(answer.headers.get('retry-after'), String(defaults.store.retryAfter));
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(answer.text, /<p>This service is temporarily unavailable\. Please try again in a minute\.<\/p>/);
    assert.doesNotMatch(answer.text, /ECONNREFUSED|server_error/);
  });

  test('a request refused before any store call keeps its own answer, without Retry-After', async () => {
    const answer = await send('/token', { method: 'POST', form: { grant_type: 'client_credentials' } });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.headers.get('retry-after'), null);
    assert.equal(JSON.parse(answer.text).error, 'invalid_request');
  });
});

describe(`oidc-provider when the store fails in the middle of an authorization (${storeKind})`, () => {
  test('the error goes back to the client as temporarily_unavailable (RFC 6749 §4.1.2.1), with state and iss', async () => {
    // Clients, pushed requests and replay claims work; interactions cannot be saved.
    const adapter = (model: string): Adapter => createStoreAdapter(model === 'Interaction' ? refusing : working)(model);
    const { provider, listener, base: url } = await serveProvider(adapter);
    after(() => listener.close());
    const keys = await partnerKeys('PS256');
    const clientId = `client-${randomBytes(8).toString('hex')}`;
    await registerClient(provider, {
      client_id: clientId, redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code'], token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'PS256', jwks: { keys: [keys.publicJwk] }, scope: 'openid accounts', software_roles: ['AISP'],
    });
    const pushed = await send('/par', {
      method: 'POST',
      form: {
        client_id: clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid accounts', state: 'the-state',
        authorization_details: ACCOUNT_ACCESS_DETAILS, code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
        client_assertion_type: ASSERTION_TYPE, client_assertion: await clientAssertion(keys, clientId, ISSUER),
      },
    }, url);
    assert.equal(pushed.status, 201, pushed.text);

    const answer = await send(`/authorize?client_id=${clientId}&request_uri=${encodeURIComponent(JSON.parse(pushed.text).request_uri)}`, {}, url);
    assert.equal(answer.status, 303, answer.text.slice(0, 300));
    assert.equal(answer.headers.get('retry-after'), null, 'a redirect says nothing to the browser about retrying');
    const location = new URL(answer.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
    assert.deepEqual(Object.fromEntries(location.searchParams), { ...OUTAGE_BODY, state: 'the-state', iss: ISSUER });
  });
});

describe('oidc-provider once the store has failed a request', () => {
  test('the rest of that request does not go back to the store, so it never waits out the timeouts twice', async () => {
    const closing = await closingDatabase();
    const store = openStore({ databaseUrl: closing.url });
    const { listener, base: url } = await serveProvider(createStoreAdapter(store));
    after(async () => {
      listener.close();
      await store.destroy();
      await closing.close();
    });
    // The authorization endpoint's error handler looks an unknown client up once more to decide
    // where the error goes; that second lookup must not reach the store.
    const authorize = await send(`/authorize?client_id=tpp-1&request_uri=${encodeURIComponent('urn:ietf:params:oauth:request_uri:abc')}`, { headers: { accept: 'text/html' } }, url);
    assert.equal(authorize.status, 503);
    assert.equal(closing.connections(), 1);
    const token = await send('/token', { method: 'POST', form: { grant_type: 'client_credentials', client_id: 'tpp-1', client_assertion_type: ASSERTION_TYPE, client_assertion: unsignedAssertion('tpp-1') } }, url);
    assertOutageJson('token', token);
    assert.equal(closing.connections(), 2, 'a new request tries the store again');
  });
});
