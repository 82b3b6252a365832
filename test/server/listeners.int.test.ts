import assert from 'node:assert/strict';
import { createPublicKey, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, createServer, type ConnectionOptions, type TlsOptions } from 'node:tls';
import { after, before, describe, test } from 'node:test';

import * as oc from 'openid-client';
import { Agent, request } from 'undici';

import { registerClient } from '../../src/auth/clients/register-client.ts';
import { certificateThumbprint } from '../../src/pki/certificate-thumbprint.ts';
import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { CustomerBrowser } from '../helpers/customer-browser.ts';
import { discover, pushedAuthorization } from '../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch, type TlsIdentity } from '../helpers/tls-fetch.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SIGNING_ALGS = ['ES256', 'EdDSA', 'PS256'];

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request over TLS that trusts the dev CA; with `identity`, a client certificate is offered. */
async function send(url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; identity?: TlsIdentity; caPem: string }): Promise<Answer> {
  const identity = options.identity ? { cert: options.identity.certificatePem, key: options.identity.privateKeyPem } : {};
  const dispatcher = new Agent({ connect: { ca: options.caPem, ...identity } });
  try {
    const response = await request(url, { method: options.method ?? 'GET', headers: options.headers, body: options.body, dispatcher });
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  } finally {
    await dispatcher.close();
  }
}

/** A self-signed client certificate: chains to nothing the server trusts. */
function selfSignedIdentity(commonName: string): TlsIdentity {
  const { privateKeyPem } = generateKeyPair('ec');
  const certificatePem = issueCertificate({ subject: { commonName }, profile: 'client', privateKeyPem, validDays: 1 });
  return { certificatePem, privateKeyPem };
}

type Handshake = { protocol: string | null; cipher: string } | { error: string };

/** A bare TLS handshake with `port`, closed as soon as it settles. */
function handshake(port: number, options: ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options }, () => {
      resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name });
      socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

/** A TLS server with Node's most permissive settings, to prove a client offer is really made. */
async function permissiveServer(tls: TlsOptions): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer({ ...tls, minVersion: 'TLSv1', ciphers: 'ALL@SECLEVEL=0' }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function contentSecurityPolicy(value: unknown): Map<string, string[]> {
  assert.equal(typeof value, 'string', 'Content-Security-Policy is set');
  return new Map((value as string).split(';').map((directive) => directive.trim().split(/\s+/)).filter(([name]) => name).map(([name, ...sources]) => [name!.toLowerCase(), sources]));
}

/** The headers every browser-facing response carries (clickjacking, sniffing, downgrade, injection). */
function assertSecurityHeaders(headers: Answer['headers'] | Headers, where: string): void {
  // undici's fetch answers with its own Headers class, so no instanceof.
  const get = (name: string) => (typeof headers.get === 'function' ? (headers as Headers).get(name) ?? undefined : (headers as Answer['headers'])[name]);
  const csp = contentSecurityPolicy(get('content-security-policy'));
  const raw = String(get('content-security-policy'));
  assert.doesNotMatch(raw, /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'|\*/, `${where}: CSP allows nothing unsafe: ${raw}`);
  assert.deepEqual(csp.get('default-src'), ["'none'"], `${where}: default-src 'none'`);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${where}: frame-ancestors 'none'`);
  assert.deepEqual(csp.get('base-uri'), ["'none'"], `${where}: base-uri 'none'`);
  assert.equal(csp.has('script-src'), false, `${where}: no script source at all`);
  const hsts = String(get('strict-transport-security'));
  const maxAge = Number(/(?:^|;\s*)max-age=(\d+)/i.exec(hsts)?.[1]);
  assert.ok(maxAge >= 31_536_000, `${where}: HSTS for at least a year: ${hsts}`);
  assert.match(hsts, /includeSubDomains/i, `${where}: HSTS covers subdomains`);
  assert.equal(get('x-frame-options'), 'DENY', `${where}: X-Frame-Options`);
  assert.equal(get('x-content-type-options'), 'nosniff', `${where}: nosniff`);
  assert.equal(get('referrer-policy'), 'no-referrer', `${where}: Referrer-Policy`);
}

/** A page the CSP above can render: no inline script, style or event handler. */
function assertNoInlineCode(html: string, where: string): void {
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/i, `${where}: no inline <script>`);
  assert.doesNotMatch(html, /<style[\s>]/i, `${where}: no <style>`);
  assert.doesNotMatch(html, /\sstyle\s*=/i, `${where}: no style attribute`);
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${where}: no inline event handler`);
}

/** Nothing from inside the server: no stack frame, file path, SQL or driver message. */
function assertNoInternals(text: string, where: string): void {
  assert.doesNotMatch(text, /\n\s+at |\.ts:\d+|\.js:\d+|node_modules|\/work\/|knex|pglite|select 1|ECONNREFUSED|Unable to acquire|TypeError|ReferenceError/i, `${where} leaks internals: ${text.slice(0, 500)}`);
}

describe('both listeners', () => {
  let portcullis: TestPortcullis;
  let origins: Array<[name: string, origin: string]>;
  const get = (url: string, headers?: Record<string, string>) => send(url, { headers, caPem: portcullis.caPem });

  before(async () => {
    // The binding is read back by introspection, which only opaque access tokens allow.
    portcullis = await startTestPortcullis({ ACCESS_TOKEN_FORMAT: 'opaque' });
    origins = [['browser', portcullis.urls.browser], ['partner', portcullis.urls.partner]];
  });
  after(() => portcullis?.close());

  describe('health', () => {
    test('/healthz answers 200 on both listeners', async () => {
      for (const [name, origin] of origins) {
        const { status, text } = await get(`${origin}/healthz`);
        assert.equal(status, 200, name);
        assert.deepEqual(JSON.parse(text), { status: 'ok' }, name);
      }
    });

    test('/readyz answers 200 and says the store is ok on both listeners', async () => {
      for (const [name, origin] of origins) {
        const { status, text } = await get(`${origin}/readyz`);
        assert.equal(status, 200, name);
        assert.deepEqual(JSON.parse(text), { status: 'ready', store: 'ok' }, name);
      }
    });
  });

  describe('TLS (FAPI 2.0 §5.2.1)', () => {
    let permissive: Awaited<ReturnType<typeof permissiveServer>>;
    const tls11 = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'ALL@SECLEVEL=0' } as const;
    const tls12Cbc = { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384@SECLEVEL=0' } as const;
    const ports = () => origins.map(([name, origin]) => [name, Number(new URL(origin).port)] as const);

    before(async () => {
      const certsDir = portcullis.certsDir;
      permissive = await permissiveServer({ cert: readFileSync(join(certsDir, 'server.pem')), key: readFileSync(join(certsDir, 'server.key')) });
    });
    after(() => permissive?.close());

    test('a TLS 1.0/1.1 client is refused with a protocol_version alert', async () => {
      assert.equal((await handshake(permissive.port, { ...tls11, rejectUnauthorized: false }) as { protocol: string }).protocol, 'TLSv1.1', 'the client really offers TLS 1.1');
      for (const [name, port] of ports()) {
        assert.deepEqual(await handshake(port, { ...tls11, ca: portcullis.caPem }), { error: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' }, name);
      }
    });

    test('TLS 1.2 without an AEAD suite is refused with a handshake_failure alert', async () => {
      assert.equal((await handshake(permissive.port, { ...tls12Cbc, rejectUnauthorized: false }) as { protocol: string }).protocol, 'TLSv1.2', 'the client really offers CBC suites');
      for (const [name, port] of ports()) {
        assert.deepEqual(await handshake(port, { ...tls12Cbc, ca: portcullis.caPem }), { error: 'ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE' }, name);
      }
    });

    test('TLS 1.2 with a forward-secret AEAD suite, and TLS 1.3, are accepted', async () => {
      for (const [name, port] of ports()) {
        assert.deepEqual(await handshake(port, { maxVersion: 'TLSv1.2', ca: portcullis.caPem }), { protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' }, name);
        assert.deepEqual(await handshake(port, { minVersion: 'TLSv1.3', ca: portcullis.caPem }), { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' }, name);
      }
    });
  });

  describe('client certificates on the partner listener', () => {
    test('a client without a certificate completes the handshake and is served', async () => {
      const { status, text } = await get(`${portcullis.urls.partner}/healthz`);
      assert.equal(status, 200);
      assert.deepEqual(JSON.parse(text), { status: 'ok' });
    });

    test('a self-signed certificate completes the handshake and is served', async () => {
      const { status, text } = await send(`${portcullis.urls.partner}/healthz`, { identity: selfSignedIdentity('stranger'), caPem: portcullis.caPem });
      assert.equal(status, 200);
      assert.deepEqual(JSON.parse(text), { status: 'ok' });
    });

    test('the certificate is requested there, and only there: self_signed_tls_client_auth works on the partner listener', async () => {
      const identity = selfSignedIdentity('self-signed-tpp');
      const certificate = new X509Certificate(identity.certificatePem);
      const clientId = `self-signed-${randomUUID()}`;
      await registerClient(portcullis.provider, {
        client_id: clientId,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'self_signed_tls_client_auth',
        jwks: { keys: [{ ...createPublicKey(identity.privateKeyPem).export({ format: 'jwk' }), x5c: [certificate.raw.toString('base64')] }] },
        scope: 'accounts',
      });

      const partner = await discover(portcullis, clientId, oc.TlsClientAuth(), { use_mtls_endpoint_aliases: true }, identity);
      const tokens = await oc.clientCredentialsGrant(partner, { scope: 'accounts' });
      const introspection = await oc.tokenIntrospection(partner, tokens.access_token);
      assert.equal(introspection.active, true);
      assert.equal(introspection.cnf?.['x5t#S256'], certificateThumbprint(identity.certificatePem), 'bound to the certificate the handshake carried');

      const browser = await discover(portcullis, clientId, oc.TlsClientAuth(), { use_mtls_endpoint_aliases: false }, identity);
      assert.equal(new URL(browser.serverMetadata().token_endpoint!).origin, portcullis.urls.browser);
      await assert.rejects(oc.clientCredentialsGrant(browser, { scope: 'accounts' }), (error: oc.ResponseBodyError) => {
        assert.equal(error.status, 401);
        assert.deepEqual(error.cause, { error: 'invalid_client', error_description: 'client authentication failed' });
        return true;
      }, 'the browser listener never asks for a certificate');
    });
  });

  describe('security headers on browser-facing responses', () => {
    test('discovery carries them', async () => {
      const { status, headers } = await get(`${portcullis.urls.browser}/.well-known/openid-configuration`);
      assert.equal(status, 200);
      assertSecurityHeaders(headers, 'discovery');
    });

    test('an error page oidc-provider renders (authorization request without a client) carries them, in a page without inline code', async () => {
      const { status, headers, text } = await get(`${portcullis.urls.browser}/authorize`);
      assert.equal(status, 400);
      assert.match(headers['content-type'] as string, /^text\/html/);
      assert.match(text, /missing required parameter &#39;client_id&#39;/);
      assertSecurityHeaders(headers, '/authorize error page');
      assertNoInlineCode(text, '/authorize error page');
    });

    test('an error page our interaction routes render (no interaction cookie) carries them, in a page without inline code', async () => {
      const { status, headers, text } = await get(`${portcullis.urls.browser}/interaction/${randomUUID()}`);
      assert.equal(status, 400);
      assert.match(headers['content-type'] as string, /^text\/html/);
      assert.match(text, /<code>invalid_request<\/code>/);
      assert.equal(headers['cache-control'], 'no-store');
      assertSecurityHeaders(headers, '/interaction error page');
      assertNoInlineCode(text, '/interaction error page');
    });

    test('the login and one-time code pages of a real authorization carry them, and render without inline code', async () => {
      const authorizationUrl = await pushedAuthorization(portcullis);

      const seen = new Map<string, Headers>();
      const base = tlsFetch(portcullis.caPem);
      const recording = (async (input: string | URL | Request, init?: RequestInit) => {
        const response = await base(input, init);
        seen.set(String(input), response.headers);
        return response;
      }) as typeof fetch;
      const customer = new CustomerBrowser(recording, [portcullis.urls.browser]);
      const { page } = await customer.open(authorizationUrl);
      assert.ok(page, 'the browser lands on a page');
      assert.equal(page.status, 200);
      assert.match(page.url.pathname, /^\/interaction\/[^/]+$/);
      assert.match(page.html, /name="password"/, 'the login form');
      assertSecurityHeaders(seen.get(page.url.href)!, 'login page');
      assertSecurityHeaders(seen.get(authorizationUrl.href)!, 'authorization redirect');
      assertNoInlineCode(page.html, 'login page');

      const { page: codePage } = await customer.submit(page, '/login', { username: 'alice', password: 'alice-sandbox-pass' });
      assert.ok(codePage, 'the browser lands on the code page');
      assert.match(codePage.html, /name="code"/, 'the one-time code form');
      assertSecurityHeaders(seen.get(codePage.url.href)!, 'one-time code page');
      assertNoInlineCode(codePage.html, 'one-time code page');
    });
  });

  describe('x-fapi-interaction-id', () => {
    const tokenRequest = (headers: Record<string, string> = {}) => send(`${portcullis.urls.partner}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: 'grant_type=client_credentials',
      caPem: portcullis.caPem,
    });

    test('the partner listener\'s token endpoint echoes a UUID the partner sent, even on an error response', async () => {
      for (const id of [randomUUID(), randomUUID().toUpperCase()]) {
        const { status, headers, text } = await tokenRequest({ 'x-fapi-interaction-id': id });
        assert.equal(status, 400);
        assert.deepEqual(JSON.parse(text), { error: 'invalid_request', error_description: 'no client authentication mechanism provided' });
        assert.equal(headers['x-fapi-interaction-id'], id);
      }
    });

    test('the token endpoint echoes the partner\'s correlation id even when it is not a UUID: never dropped silently', async () => {
      for (const id of ['not-a-uuid', `${randomUUID()}-extra`, '00000000-0000-0000-0000-00000000000g', '<script>alert(1)</script>', 'x'.repeat(128)]) {
        const { status, headers } = await tokenRequest({ 'x-fapi-interaction-id': id });
        assert.equal(status, 400);
        assert.equal(headers['x-fapi-interaction-id'], id);
      }
    });

    test('the token endpoint makes a fresh UUID when none was sent, or one that cannot be echoed', async () => {
      const sent = [undefined, '', 'x'.repeat(129), 'two words'];
      const answered = new Set<string>();
      for (const id of sent) {
        const { status, headers } = await tokenRequest(id === undefined ? {} : { 'x-fapi-interaction-id': id });
        assert.equal(status, 400);
        const answer = headers['x-fapi-interaction-id'] as string;
        assert.match(answer, UUID, `for ${JSON.stringify(id)}`);
        answered.add(answer);
      }
      assert.equal(answered.size, sent.length, 'a new id every time');
    });

    test('discovery echoes the id it was sent, and makes one when none was sent', async () => {
      for (const [name, origin] of [['browser', portcullis.urls.browser]] as const) {
        for (const id of [randomUUID(), 'abc']) {
          const echoed = await get(`${origin}/.well-known/openid-configuration`, { 'x-fapi-interaction-id': id });
          assert.equal(echoed.status, 200, name);
          assert.equal(echoed.headers['x-fapi-interaction-id'], id, name);
        }
        const generated = await get(`${origin}/.well-known/openid-configuration`);
        assert.match(generated.headers['x-fapi-interaction-id'] as string, UUID, name);
      }
    });
  });

  describe('discovery', () => {
    const metadata = async (origin: string) => {
      const { status, text } = await get(`${origin}/.well-known/openid-configuration`);
      assert.equal(status, 200);
      return JSON.parse(text) as Record<string, unknown>;
    };

    test('advertises every certificate-authenticated endpoint on the partner origin (RFC 8705 §5)', async () => {
      const discovered = await metadata(portcullis.urls.browser);
      assert.equal(discovered['issuer'], portcullis.config.issuer);
      const partner = portcullis.urls.partner;
      assert.deepEqual(discovered['mtls_endpoint_aliases'], {
        token_endpoint: `${partner}/token`,
        pushed_authorization_request_endpoint: `${partner}/par`,
        introspection_endpoint: `${partner}/token/introspect`,
        revocation_endpoint: `${partner}/token/revoke`,
        registration_endpoint: `${partner}/register`,
        userinfo_endpoint: `${partner}/userinfo`,
      });
      assert.equal(discovered['tls_client_certificate_bound_access_tokens'], true);
    });

    test('is served on the browser listener only: the partner listener has no authorization endpoint to advertise', async () => {
      const { status } = await get(`${portcullis.urls.partner}/.well-known/openid-configuration`);
      assert.equal(status, 404);
    });

    test('every *_alg_values_supported lists only PS256, ES256 and EdDSA', async () => {
      for (const [name, origin] of [['browser', portcullis.urls.browser]] as const) {
        const discovered = await metadata(origin);
        const algLists = Object.entries(discovered).filter(([key]) => key.endsWith('_alg_values_supported'));
        assert.deepEqual(algLists.map(([key]) => key).sort(), [
          'authorization_signing_alg_values_supported',
          'dpop_signing_alg_values_supported',
          'id_token_signing_alg_values_supported',
          'introspection_signing_alg_values_supported',
          'request_object_signing_alg_values_supported',
          'token_endpoint_auth_signing_alg_values_supported',
          'userinfo_signing_alg_values_supported',
        ], `${name}: no encryption algorithms, no other lists`);
        for (const [key, values] of algLists) {
          assert.deepEqual([...(values as string[])].sort(), SIGNING_ALGS, `${name}: ${key}`);
        }
        assert.doesNotMatch(JSON.stringify(discovered), /"(RS\d+|HS\d+|none)"/i, `${name}: no RS*, HS* or none anywhere`);
      }
    });

    test('states the FAPI 2.0 profile: PAR, code, PKCE S256, iss, sender-constrained client auth, RAR types', async () => {
      const discovered = await metadata(portcullis.urls.browser);
      assert.deepEqual([...(discovered['token_endpoint_auth_methods_supported'] as string[])].sort(), ['private_key_jwt', 'self_signed_tls_client_auth', 'tls_client_auth']);
      assert.equal(discovered['require_pushed_authorization_requests'], true);
      assert.deepEqual(discovered['response_types_supported'], ['code']);
      assert.deepEqual(discovered['code_challenge_methods_supported'], ['S256']);
      assert.equal(discovered['authorization_response_iss_parameter_supported'], true);
      assert.deepEqual([...(discovered['dpop_signing_alg_values_supported'] as string[])].sort(), SIGNING_ALGS);
      const types = discovered['authorization_details_types_supported'] as string[];
      assert.ok(types.includes('account_information') && types.includes('payment_initiation'), JSON.stringify(types));
      for (const key of ['introspection_endpoint_auth_methods_supported', 'revocation_endpoint_auth_methods_supported']) {
        if (key in discovered) assert.deepEqual([...(discovered[key] as string[])].sort(), ['private_key_jwt', 'self_signed_tls_client_auth', 'tls_client_auth'], key);
      }
      assert.deepEqual(discovered['grant_types_supported'], ['authorization_code', 'refresh_token', 'client_credentials'], 'no implicit, no password, no device code');
    });
  });

  describe('JWKS', () => {
    test('publishes public keys only, one per signing algorithm, with unique kids', async () => {
      for (const [name, origin] of origins) {
        const { status, headers, text } = await get(`${origin}/jwks`);
        assert.equal(status, 200, name);
        assert.match(headers['content-type'] as string, /^application\/jwk-set\+json/, name);
        const { keys } = JSON.parse(text) as { keys: Array<Record<string, unknown>> };
        for (const key of keys) {
          for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) {
            assert.equal(key[secret], undefined, `${name}: ${key['kid']} publishes its private member ${secret}`);
          }
          assert.equal(key['use'], 'sig', `${name}: ${key['kid']}`);
          assert.equal(typeof key['kid'], 'string');
        }
        assert.deepEqual(keys.map((key) => key['alg']).sort(), SIGNING_ALGS, `${name}: one key per algorithm`);
        assert.equal(new Set(keys.map((key) => key['kid'])).size, keys.length, `${name}: kids are unique`);
        assert.deepEqual(keys.map((key) => key['kty']).sort(), ['EC', 'OKP', 'RSA'], name);
      }
    });
  });

  describe('unknown paths', () => {
    test('answer 404 Not Found without any internals, on both listeners', async () => {
      for (const [name, origin] of origins) {
        for (const method of ['GET', 'POST'] as const) {
          const { status, text } = await send(`${origin}/no/such/path`, { method, caPem: portcullis.caPem });
          assert.equal(status, 404, `${name} ${method}`);
          assert.equal(text, 'Not Found', `${name} ${method}`);
        }
      }
    });
  });
});

// A closed store is our bug, not an outage (store-outage.int.test.ts has those): the generic 500.
describe('when the store has been closed', () => {
  let portcullis: TestPortcullis;
  let interactionUrl: URL;
  let browser: CustomerBrowser;

  before(async () => {
    // The binding is read back by introspection, which only opaque access tokens allow.
    portcullis = await startTestPortcullis({ ACCESS_TOKEN_FORMAT: 'opaque' });
    // An authorization under way, so that its interaction page needs the store afterwards.
    const authorizationUrl = await pushedAuthorization(portcullis);
    browser = new CustomerBrowser(tlsFetch(portcullis.caPem), [portcullis.urls.browser]);
    const { page } = await browser.open(authorizationUrl);
    assert.equal(page?.status, 200);
    interactionUrl = page!.url;
    await portcullis.db.destroy();
  });
  after(() => portcullis?.close());

  test('/readyz answers 503 and says the store is unreachable; /healthz still answers', async () => {
    for (const origin of [portcullis.urls.browser, portcullis.urls.partner]) {
      const ready = await send(`${origin}/readyz`, { caPem: portcullis.caPem });
      assert.equal(ready.status, 503);
      assert.deepEqual(JSON.parse(ready.text), { status: 'unavailable', store: 'unreachable' });
      const healthy = await send(`${origin}/healthz`, { caPem: portcullis.caPem });
      assert.equal(healthy.status, 200);
    }
  });

  test('the token endpoint answers a bare server_error, without a stack', async () => {
    const { status, headers, text } = await send(`${portcullis.urls.partner}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${randomUUID()}`,
      caPem: portcullis.caPem,
    });
    assert.equal(status, 500);
    assert.deepEqual(JSON.parse(text), { error: 'server_error', error_description: 'oops! something went wrong' });
    assert.equal(headers['cache-control'], 'no-store');
    assert.match(headers['x-fapi-interaction-id'] as string, UUID);
  });

  test('an authorization request renders the generic error page, without a stack', async () => {
    const { status, headers, text } = await send(`${portcullis.urls.browser}/authorize?client_id=${randomUUID()}&response_type=code&request_uri=urn:ietf:params:oauth:request_uri:x`, { caPem: portcullis.caPem });
    assert.equal(status, 500);
    assert.match(text, /We could not complete your request\. Please try again later\./);
    assertNoInternals(text, '/authorize');
    assertSecurityHeaders(headers, '/authorize server error');
  });

  test('an interaction page renders the generic error page, without a stack', async () => {
    const { page } = await browser.open(interactionUrl);
    assert.ok(page);
    assert.equal(page.status, 500);
    assert.match(page.html, /We could not complete your request\. Please try again later\./);
    assertNoInternals(page.html, '/interaction');
  });
});
