import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { certificateThumbprint } from '../../src/pki/certificate-thumbprint.ts';
import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';

function selfSigned(commonName: string): string {
  return issueCertificate({ subject: { commonName }, profile: 'client', privateKeyPem: generateKeyPair('ec').privateKeyPem, validDays: 1 });
}

/** Straight from the PEM text, without X509Certificate: base64url(SHA-256(DER)). */
function thumbprintByHand(pem: string): string {
  const der = Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');
  return createHash('sha256').update(der).digest().toString('base64url');
}

describe('certificateThumbprint', () => {
  const pem = selfSigned('thumbprinted');

  it('is base64url(SHA-256(DER)), the RFC 8705 x5t#S256 value', () => {
    const thumbprint = certificateThumbprint(pem);
    assert.equal(thumbprint, thumbprintByHand(pem));
    assert.equal(thumbprint, createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url'));
    assert.match(thumbprint, /^[A-Za-z0-9_-]{43}$/, '32 bytes, no padding');
  });

  it('is the same for PEM text, a PEM buffer, DER and repeated calls', () => {
    const der = new X509Certificate(pem).raw;
    const expected = certificateThumbprint(pem);
    assert.equal(certificateThumbprint(der), expected);
    assert.equal(certificateThumbprint(Buffer.from(pem)), expected);
    assert.equal(certificateThumbprint(pem.replace(/\n/g, '\r\n')), expected);
    assert.equal(certificateThumbprint(pem), expected);
  });

  it('differs between certificates, even for the same subject', () => {
    assert.notEqual(certificateThumbprint(selfSigned('thumbprinted')), certificateThumbprint(pem));
  });

  it('throws for something that is not a certificate', () => {
    assert.throws(() => certificateThumbprint('not a certificate'));
    assert.throws(() => certificateThumbprint(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])));
  });
});
