import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { describe, it } from 'node:test';

import type { KoaContextWithOIDC } from 'oidc-provider';

import { clientCertificateHooks } from '../../../src/auth/mtls/client-certificate.ts';
import { generateKeyPair } from '../../../src/pki/generate-key-pair.ts';
import { issueCertificate } from '../../../src/pki/issue-certificate.ts';
import { trustedProxies } from '../../../src/shared/trusted-proxies.ts';

function selfSignedPem(commonName: string): string {
  const { privateKeyPem } = generateKeyPair('ec');
  return issueCertificate({ subject: { commonName }, profile: 'client', privateKeyPem, validDays: 1 });
}

/** A TLS socket as the hooks see it, presenting `pem` (or nothing), counting how often it is asked. */
function socketPresenting(pem: string | undefined) {
  const socket = {
    reads: 0,
    authorized: false,
    getPeerCertificate() {
      socket.reads += 1;
      return pem ? { raw: new X509Certificate(pem).raw } : {};
    },
  };
  return socket;
}

function requestOn(socket: ReturnType<typeof socketPresenting>): KoaContextWithOIDC {
  return { socket: socket as unknown as TLSSocket, get: () => '' } as unknown as KoaContextWithOIDC;
}

describe('clientCertificateHooks on a direct TLS connection', () => {
  const hooks = clientCertificateHooks({ trustedProxies: trustedProxies([]), header: undefined, trustAnchors: [] });

  it('reads the peer certificate once per connection, for every request on it', () => {
    const pem = selfSignedPem('tpp-1');
    const socket = socketPresenting(pem);

    for (let request = 0; request < 3; request += 1) {
      assert.equal(new X509Certificate(hooks.getCertificate(requestOn(socket))!).fingerprint256, new X509Certificate(pem).fingerprint256);
    }
    assert.equal(socket.reads, 1);
  });

  it('remembers that a connection has no certificate, and keeps connections apart', () => {
    const without = socketPresenting(undefined);
    const other = socketPresenting(selfSignedPem('tpp-2'));

    assert.equal(hooks.getCertificate(requestOn(without)), undefined);
    assert.equal(hooks.getCertificate(requestOn(without)), undefined);
    assert.equal(without.reads, 1);
    assert.match(new X509Certificate(hooks.getCertificate(requestOn(other))!).subject, /CN=tpp-2/);
    assert.equal(hooks.certificateSubjectMatches(requestOn(other), 'tls_client_auth_subject_dn', 'CN=tpp-2'), true);
    assert.equal(other.reads, 1);
  });
});
