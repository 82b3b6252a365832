import assert from 'node:assert/strict';
import { randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import * as oc from 'openid-client';

import { registerClient } from '../../src/auth/clients/register-client.ts';
import { certificateThumbprint } from '../../src/pki/certificate-thumbprint.ts';
import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { issueClientCertificate } from '../../src/pki/issue-client-certificate.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi } from '../helpers/gateway-catalogue.ts';
import { registerKeyClient } from '../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch, type TlsIdentity } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

const HEADER = 'client-cert';
const FORGED_HOST = 'forged.example';
// Documentation addresses (RFC 5737, RFC 3849): what a proxy says the client was.
const CLAIMED_CLIENT = '203.0.113.7';
const CLAIMED_CLIENT_V6 = '2001:db8::7';

/*
 * Every test instance here is reached from 127.0.0.1; each block trusts it differently: by its
 * exact address, by a range holding it, or not at all (addresses and ranges that all miss it,
 * one of them next door).
 */

let upstream: UpstreamServer;
before(async () => {
  upstream = await startUpstreamServer();
});
after(() => upstream?.close());

/** RFC 9440 §2.2: `Client-Cert` is an RFC 8941 byte sequence of the DER. */
function rfc9440(pem: string): string {
  return `:${new X509Certificate(pem).raw.toString('base64')}:`;
}

function rfc4514(subject: string): string {
  return subject.split('\n').reverse().join(',');
}

/**
 * A partner's HTTP stack behind (or pretending to be) a TLS-terminating proxy: every request goes
 * out with `headers` added; requests for `https://forged.example` go to `origin` instead.
 */
function proxiedFetch(portcullis: TestPortcullis, headers: Record<string, string>, options: { identity?: TlsIdentity; origin?: string } = {}): typeof fetch {
  const base = tlsFetch(portcullis.caPem, options.identity);
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const target = url.host === FORGED_HOST && options.origin ? new URL(`${url.pathname}${url.search}`, options.origin) : url;
    const merged = new Headers(init?.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    return base(target, { ...init, headers: merged });
  }) as typeof fetch;
}

/** A `tls_client_auth` client for the dev CA's sample certificate, allowed client credentials. */
async function registerSampleClient(portcullis: TestPortcullis): Promise<string> {
  const clientId = `proxied-${randomUUID()}`;
  await registerClient(portcullis.provider, {
    client_id: clientId,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: rfc4514(new X509Certificate(portcullis.sampleClient.certificatePem).subject),
    scope: 'accounts',
  });
  return clientId;
}

async function partnerConfig(portcullis: TestPortcullis, clientId: string, fetchImpl: typeof fetch): Promise<oc.Configuration> {
  return oc.discovery(new URL(portcullis.config.issuer), clientId, { use_mtls_endpoint_aliases: true }, oc.TlsClientAuth(), { [oc.customFetch]: fetchImpl as never });
}

/** The thumbprints of the transport certificates kept for the client (`oidc_client_certificates`). */
async function keptCertificates(portcullis: TestPortcullis, clientId: string): Promise<string[]> {
  return (await portcullis.db('oidc_client_certificates').where({ client_id: clientId })).map((row: { thumbprint: string }) => row.thumbprint);
}

/**
 * The client address the gateway hands its upstream (`X-Forwarded-For`, from `ctx.ip`: the
 * address every per-client limit counts by) for a call whose `X-Forwarded-For` says `claimed`.
 */
async function clientAddressSeenUpstream(portcullis: TestPortcullis, claimed: string): Promise<string | string[] | undefined> {
  const basePath = `/client-address-${randomUUID().slice(0, 8)}/v1`;
  await addTestApi(portcullis.db, portcullis.events, { basePath, authKind: 'none', upstreams: [{ url: upstream.url, weight: 100 }], routes: [{ method: 'GET', path: '/' }] });
  const call = tlsFetch(portcullis.caPem);
  await eventually(async () => (await call(`${portcullis.urls.public}${basePath}`)).status === 200, { withinMs: 2_000, what: 'the API published' });
  const response = await call(`${portcullis.urls.public}${basePath}`, { headers: { 'x-forwarded-for': claimed } });
  assert.equal(response.status, 200);
  return upstream.seen.at(-1)!.headers['x-forwarded-for'];
}

/** The error openid-client reports for a rejected token request: status and body. */
function rejectedWith(status: number, body: Record<string, string>) {
  return (error: oc.ResponseBodyError) => {
    assert.equal(error.status, status);
    assert.deepEqual(error.cause, body);
    return true;
  };
}

const invalidClient = rejectedWith(401, { error: 'invalid_client', error_description: 'client authentication failed' });

async function discoveredEndpoints(portcullis: TestPortcullis, headers: Record<string, string>) {
  const response = await tlsFetch(portcullis.caPem)(`${portcullis.urls.browser}/.well-known/openid-configuration`, { headers });
  assert.equal(response.status, 200);
  return (await response.json()) as Record<string, unknown>;
}

/**
 * A DPoP-bound client-credentials grant whose proof names `https://forged.example/token` as its
 * `htu`, the request really going to the browser listener with `X-Forwarded-Host: forged.example`.
 */
async function grantWithForgedHtu(portcullis: TestPortcullis) {
  const { clientId, keys } = await registerKeyClient(portcullis);
  const issuer = portcullis.config.issuer;
  const config = new oc.Configuration(
    { issuer, token_endpoint: `https://${FORGED_HOST}/token`, dpop_signing_alg_values_supported: ['ES256'] },
    clientId,
    {},
    oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }),
  );
  config[oc.customFetch] = proxiedFetch(portcullis, { 'x-forwarded-host': FORGED_HOST, 'x-forwarded-proto': 'https' }, { origin: portcullis.urls.browser }) as never;
  const DPoP = oc.getDPoPHandle(config, await oc.randomDPoPKeyPair('ES256'));
  return oc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP });
}

describe('behind a trusted TLS-terminating proxy', () => {
  let portcullis: TestPortcullis;
  let clientId: string;
  before(async () => {
    // The binding is read back by introspection, which only opaque access tokens allow.
    portcullis = await startTestPortcullis({ TRUSTED_PROXIES: '127.0.0.1', CLIENT_CERT_HEADER: HEADER, ACCESS_TOKEN_FORMAT: 'opaque' });
    clientId = await registerSampleClient(portcullis);
  });
  after(() => portcullis?.close());

  for (const [form, encode] of [['an RFC 9440 byte sequence', rfc9440], ['a URL-encoded PEM', encodeURIComponent]] as const) {
    test(`tls_client_auth with the certificate only in Client-Cert, as ${form}: the token is bound to it`, async () => {
      const certificatePem = portcullis.sampleClient.certificatePem;
      const config = await partnerConfig(portcullis, clientId, proxiedFetch(portcullis, { [HEADER]: encode(certificatePem) }));
      assert.equal(new URL(config.serverMetadata().mtls_endpoint_aliases!.token_endpoint!).origin, portcullis.urls.partner);

      const tokens = await oc.clientCredentialsGrant(config, { scope: 'accounts' });
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      const introspection = await oc.tokenIntrospection(config, tokens.access_token);
      assert.equal(introspection.active, true);
      assert.equal(introspection.client_id, clientId);
      assert.equal(introspection.cnf?.['x5t#S256'], certificateThumbprint(certificatePem));
      await eventually(async () => (await keptCertificates(portcullis, clientId)).join() === certificateThumbprint(certificatePem), { withinMs: 2_000, what: 'the header\'s certificate kept for the client' });
    });
  }

  test('a header certificate with the right subject that does not chain to a trust anchor is refused', async () => {
    const subject = { commonName: 'sample-tpp', organizationName: 'Sample TPP Ltd', organizationalUnitName: '00158000SAMPLETPP1', countryName: 'GB' };
    const impostor = issueCertificate({ subject, profile: 'client', privateKeyPem: generateKeyPair('ec').privateKeyPem, validDays: 1 });
    assert.equal(new X509Certificate(impostor).subject, new X509Certificate(portcullis.sampleClient.certificatePem).subject, 'same subject DN');
    const config = await partnerConfig(portcullis, clientId, proxiedFetch(portcullis, { [HEADER]: rfc9440(impostor) }));
    await assert.rejects(oc.clientCredentialsGrant(config, { scope: 'accounts' }), invalidClient);
  });

  test('a header that is not exactly one certificate authenticates nobody', async () => {
    const pem = portcullis.sampleClient.certificatePem;
    for (const value of ['garbage', `:${Buffer.from('not a certificate').toString('base64')}:`, encodeURIComponent(`${pem}${pem}`), new X509Certificate(pem).raw.toString('base64')]) {
      const config = await partnerConfig(portcullis, clientId, proxiedFetch(portcullis, { [HEADER]: value }));
      await assert.rejects(oc.clientCredentialsGrant(config, { scope: 'accounts' }), invalidClient, value.slice(0, 20));
    }
  });

  test('from the proxy only the header counts: a TLS certificate without it authenticates nobody', async () => {
    const config = await partnerConfig(portcullis, clientId, tlsFetch(portcullis.caPem, portcullis.sampleClient));
    await assert.rejects(oc.clientCredentialsGrant(config, { scope: 'accounts' }), invalidClient);
  });

  test('X-Forwarded-For from the proxy is the client address', async () => {
    assert.equal(await clientAddressSeenUpstream(portcullis, CLAIMED_CLIENT), CLAIMED_CLIENT);
  });

  test('X-Forwarded-Host even from the proxy changes no URL: discovery is configuration (RFC 8414 §2-3)', async () => {
    const honest = await discoveredEndpoints(portcullis, {});
    const discovered = await discoveredEndpoints(portcullis, { 'x-forwarded-host': FORGED_HOST });
    assert.equal(discovered['issuer'], portcullis.config.issuer);
    assert.equal(discovered['token_endpoint'], `${portcullis.config.issuer}/token`);
    assert.deepEqual(discovered, honest);
  });

  test('a DPoP proof for the host the proxy names is rejected: htu must be the configured URL', async () => {
    await assert.rejects(grantWithForgedHtu(portcullis), (error: oc.ResponseBodyError) => {
      assert.equal(error.status, 400);
      assert.equal(error.error, 'invalid_dpop_proof');
      return true;
    });
  });
});

describe('behind proxies trusted by CIDR range (TRUSTED_PROXIES=10.0.0.0/8,127.0.0.0/30,fd00::/8)', () => {
  let portcullis: TestPortcullis;
  let clientId: string;
  before(async () => {
    // 127.0.0.1, the peer, is in the second range only.
    portcullis = await startTestPortcullis({ TRUSTED_PROXIES: '10.0.0.0/8,127.0.0.0/30,fd00::/8', CLIENT_CERT_HEADER: HEADER, ACCESS_TOKEN_FORMAT: 'opaque' });
    clientId = await registerSampleClient(portcullis);
  });
  after(() => portcullis?.close());

  test('a peer in a range passes the certificate in Client-Cert: tls_client_auth succeeds and the token is bound to it', async () => {
    const certificatePem = portcullis.sampleClient.certificatePem;
    const config = await partnerConfig(portcullis, clientId, proxiedFetch(portcullis, { [HEADER]: rfc9440(certificatePem) }));
    const tokens = await oc.clientCredentialsGrant(config, { scope: 'accounts' });
    const introspection = await oc.tokenIntrospection(config, tokens.access_token);
    assert.equal(introspection.active, true);
    assert.equal(introspection.client_id, clientId);
    assert.equal(introspection.cnf?.['x5t#S256'], certificateThumbprint(certificatePem));
  });

  test('a peer in a range is still held to the trust anchors: a header certificate that chains to none is refused', async () => {
    const subject = { commonName: 'sample-tpp', organizationName: 'Sample TPP Ltd', organizationalUnitName: '00158000SAMPLETPP1', countryName: 'GB' };
    const impostor = issueCertificate({ subject, profile: 'client', privateKeyPem: generateKeyPair('ec').privateKeyPem, validDays: 1 });
    const config = await partnerConfig(portcullis, clientId, proxiedFetch(portcullis, { [HEADER]: rfc9440(impostor) }));
    await assert.rejects(oc.clientCredentialsGrant(config, { scope: 'accounts' }), invalidClient);
  });

  test('a peer in a range passes the client address in X-Forwarded-For, IPv4 or IPv6', async () => {
    assert.equal(await clientAddressSeenUpstream(portcullis, CLAIMED_CLIENT), CLAIMED_CLIENT);
    assert.equal(await clientAddressSeenUpstream(portcullis, CLAIMED_CLIENT_V6), CLAIMED_CLIENT_V6);
  });
});

describe('reached directly, by a peer outside every trusted address and range (TRUSTED_PROXIES=10.9.9.9,10.0.0.0/8,fd00::/8,127.0.0.2/31)', () => {
  let portcullis: TestPortcullis;
  let clientId: string;
  let other: { certificatePem: string; privateKeyPem: string };
  before(async () => {
    // 127.0.0.2/31 is 127.0.0.2 and 127.0.0.3: next door to the peer, 127.0.0.1, and not it.
    portcullis = await startTestPortcullis({ TRUSTED_PROXIES: '10.9.9.9,10.0.0.0/8,fd00::/8,127.0.0.2/31', CLIENT_CERT_HEADER: HEADER, ACCESS_TOKEN_FORMAT: 'opaque' });
    clientId = await registerSampleClient(portcullis);
    const ca = { certificatePem: portcullis.caPem, privateKeyPem: readFileSync(join(portcullis.certsDir, 'dev-ca.key'), 'utf8') };
    other = issueClientCertificate(ca, { commonName: 'other-tpp', organizationName: 'Other TPP Ltd', organizationalUnitName: '00158000OTHERTPP01', countryName: 'GB' });
  });
  after(() => portcullis?.close());

  for (const [form, encode] of [['an RFC 9440 byte sequence', rfc9440], ['a URL-encoded PEM', encodeURIComponent]] as const) {
    test(`Client-Cert as ${form} is ignored: without a TLS certificate the client is invalid_client`, async () => {
      const config = await partnerConfig(portcullis, clientId, proxiedFetch(portcullis, { [HEADER]: encode(portcullis.sampleClient.certificatePem) }));
      await assert.rejects(oc.clientCredentialsGrant(config, { scope: 'accounts' }), invalidClient);
    });
  }

  test('Client-Cert cannot replace the TLS certificate: the token is bound to the one the handshake carried', async () => {
    // The header names a valid certificate of another partner; were it read, the subject check would fail.
    const config = await partnerConfig(portcullis, clientId, proxiedFetch(portcullis, { [HEADER]: rfc9440(other.certificatePem) }, { identity: portcullis.sampleClient }));
    const tokens = await oc.clientCredentialsGrant(config, { scope: 'accounts' });
    const introspection = await oc.tokenIntrospection(config, tokens.access_token);
    assert.equal(introspection.cnf?.['x5t#S256'], certificateThumbprint(portcullis.sampleClient.certificatePem));
    assert.notEqual(introspection.cnf?.['x5t#S256'], certificateThumbprint(other.certificatePem));
    await eventually(async () => (await keptCertificates(portcullis, clientId)).length > 0, { withinMs: 2_000, what: 'a certificate kept for the client' });
    assert.deepEqual(await keptCertificates(portcullis, clientId), [certificateThumbprint(portcullis.sampleClient.certificatePem)], 'the handshake\'s, not the header\'s');
  });

  test('Client-Cert cannot authenticate a client whose certificate is only in the header, even next to another TLS certificate', async () => {
    const config = await partnerConfig(portcullis, clientId, proxiedFetch(portcullis, { [HEADER]: rfc9440(portcullis.sampleClient.certificatePem) }, { identity: other }));
    await assert.rejects(oc.clientCredentialsGrant(config, { scope: 'accounts' }), invalidClient);
  });

  test('X-Forwarded-For is ignored: the client address is the peer\'s own', async () => {
    assert.equal(await clientAddressSeenUpstream(portcullis, CLAIMED_CLIENT), '127.0.0.1');
    assert.equal(await clientAddressSeenUpstream(portcullis, `${CLAIMED_CLIENT}, 10.0.0.1`), '127.0.0.1', 'a list naming a trusted proxy last is no better');
  });

  test('X-Forwarded-Host and X-Forwarded-Proto are ignored: discovery keeps the real host', async () => {
    const honest = await discoveredEndpoints(portcullis, {});
    const forged = await discoveredEndpoints(portcullis, { 'x-forwarded-host': FORGED_HOST, 'x-forwarded-proto': 'http', forwarded: `host=${FORGED_HOST};proto=http` });
    assert.equal(forged['token_endpoint'], `${portcullis.urls.browser}/token`);
    assert.deepEqual(forged, honest);
  });

  test('a DPoP proof whose htu uses a forged X-Forwarded-Host is rejected', async () => {
    await assert.rejects(grantWithForgedHtu(portcullis), (error: oc.ResponseBodyError) => {
      assert.equal(error.status, 400);
      assert.equal(error.error, 'invalid_dpop_proof');
      assert.match(String(error.error_description), /htu/);
      return true;
    });
  });
});
