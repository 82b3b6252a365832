import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';

import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

/*
 * RFC 8414 §2-3: server metadata is the issuer's, fixed by configuration. Built from the request's
 * `Host` (or a proxy's `X-Forwarded-Host`), one request naming another host would poison any cache
 * in front of discovery with endpoints on that host.
 */

const EVIL = 'evil.example';

/** GETs `path` from `origin` with these headers (`Host` included), over TLS trusting the dev CA. */
function getJson(portcullis: TestPortcullis, origin: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'GET', ca: portcullis.caPem, servername: 'localhost', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, body: text ? JSON.parse(text) as Record<string, unknown> : {} });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function assertConfiguredEndpoints(portcullis: TestPortcullis, discovered: Record<string, unknown>): void {
  const { issuer, mtlsBaseUrl } = portcullis.config;
  assert.equal(discovered['issuer'], issuer);
  assert.equal(discovered['authorization_endpoint'], `${issuer}/authorize`);
  assert.equal(discovered['token_endpoint'], `${issuer}/token`);
  assert.equal(discovered['jwks_uri'], `${issuer}/jwks`);
  assert.equal((discovered['mtls_endpoint_aliases'] as Record<string, string>)['token_endpoint'], `${mtlsBaseUrl}/token`);
  assert.doesNotMatch(JSON.stringify(discovered), new RegExp(EVIL.replace('.', '\\.')));
}

describe('metadata depends only on configuration', () => {
  let portcullis: TestPortcullis;
  before(async () => {
    portcullis = await startTestPortcullis();
  });
  after(() => portcullis?.close());

  test('a Host header naming another host changes nothing in discovery', async () => {
    const honest = await getJson(portcullis, portcullis.urls.browser, '/.well-known/openid-configuration', {});
    const forged = await getJson(portcullis, portcullis.urls.browser, '/.well-known/openid-configuration', { host: EVIL });
    assert.equal(forged.status, 200);
    assertConfiguredEndpoints(portcullis, forged.body);
    assert.deepEqual(forged.body, honest.body);
  });

  test('a Host header with another port or scheme-looking junk changes nothing either', async () => {
    for (const host of ['localhost:1', `${EVIL}:443`, 'localhost.', '[::1]']) {
      const forged = await getJson(portcullis, portcullis.urls.browser, '/.well-known/openid-configuration', { host });
      assert.equal(forged.status, 200, host);
      assertConfiguredEndpoints(portcullis, forged.body);
    }
  });
});

describe('behind a trusted proxy', () => {
  let portcullis: TestPortcullis;
  before(async () => {
    portcullis = await startTestPortcullis({ TRUSTED_PROXIES: '127.0.0.1' });
  });
  after(() => portcullis?.close());

  test('X-Forwarded-Host and X-Forwarded-Proto from the proxy change nothing in discovery', async () => {
    const forged = await getJson(portcullis, portcullis.urls.browser, '/.well-known/openid-configuration', { host: EVIL, 'x-forwarded-host': EVIL, 'x-forwarded-proto': 'http' });
    assert.equal(forged.status, 200);
    assertConfiguredEndpoints(portcullis, forged.body);
  });
});
