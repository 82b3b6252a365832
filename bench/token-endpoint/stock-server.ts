import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

import Provider, { type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';

import { registerClient } from '../../src/auth/clients/register-client.ts';
import { partnerTlsOptions } from '../../src/server/tls-options.ts';
import { serveParent } from './server-protocol.ts';

/*
 * Stock: oidc-provider with nothing but what the same grant needs (client credentials,
 * private_key_jwt, certificate-bound access tokens) and its default in-memory adapter. It shares
 * with ours everything that is not our configuration or our store: the TLS listener options and
 * certificates, the client metadata, the way clients are registered (through the Client adapter,
 * so both look them up per request), the access token lifetime, the issuer string (the
 * assertions' audience), and the client certificate read once per connection. argv: the dev PKI
 * folder ours made, and ours' issuer.
 */

const [certsDir, issuer] = process.argv.slice(2);
if (!certsDir || !issuer) throw new Error('usage: stock-server.ts <certs dir> <issuer>');

// The peer certificate read once per TLS connection and kept with it (weak keys: an entry goes
// with its socket), as ours does (src/auth/mtls/client-certificate.ts). Written out here rather
// than imported, so that stock runs none of our code on the request path: any deployer of
// oidc-provider would write the same few lines, and without them getPeerCertificate() and
// new X509Certificate() on every request took about a quarter of stock's CPU per grant, which
// measured our configuration rather than our store. The listener refuses TLS renegotiation, as
// ours does (src/server/start.ts), so a connection's certificate cannot change under the cache.
const peerCertificates = new WeakMap<TLSSocket, string | undefined>();

function getCertificate(ctx: KoaContextWithOIDC): string | undefined {
  const socket = ctx.socket as TLSSocket;
  if (peerCertificates.has(socket)) return peerCertificates.get(socket);
  const peer = socket.getPeerCertificate();
  const pem = peer?.raw ? new X509Certificate(peer.raw).toString() : undefined;
  peerCertificates.set(socket, pem);
  return pem;
}

const provider = new Provider(issuer, {
  clientAuthMethods: ['private_key_jwt'],
  scopes: ['accounts'],
  // Ours' default (src/config/defaults.ts), instead of the library's 10 minutes.
  ttl: { ClientCredentials: 300 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    mTLS: { enabled: true, certificateBoundAccessTokens: true, getCertificate },
  },
});

const read = (name: string) => readFileSync(`${certsDir}/${name}`, 'utf8');
const tls = partnerTlsOptions({ certificatePem: read('server.pem'), privateKeyPem: read('server.key') }, [read('dev-ca.pem')]);
const server = createServer(tls, provider.callback());
server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', resolve);
});
const { port } = server.address() as AddressInfo;

serveParent(
  { type: 'ready', tokenUrl: `https://localhost:${port}/token`, issuer },
  {
    async register(clients: ClientMetadata[]) {
      for (const client of clients) await registerClient(provider, client);
    },
    queries: () => undefined,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  },
);
