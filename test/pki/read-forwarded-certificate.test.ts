import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';

import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { readForwardedCertificate } from '../../src/pki/read-forwarded-certificate.ts';

function selfSigned(commonName: string): string {
  return issueCertificate({ subject: { commonName }, profile: 'client', privateKeyPem: generateKeyPair('ec').privateKeyPem, validDays: 1 });
}

const pem = selfSigned('forwarded');
const der = new X509Certificate(pem).raw;
const body = der.toString('base64');

describe('readForwardedCertificate', () => {
  it('reads an RFC 9440 Client-Cert byte sequence', () => {
    assert.equal(readForwardedCertificate(`:${body}:`), pem);
    assert.equal(readForwardedCertificate(` :${body}: `), pem, 'surrounding whitespace is not part of the value');
  });

  it("reads a URL-encoded PEM, as nginx's $ssl_client_escaped_cert sends it", () => {
    assert.equal(readForwardedCertificate(encodeURIComponent(pem)), pem);
    // nginx escapes less than encodeURIComponent: spaces, newlines and a few others only.
    assert.equal(readForwardedCertificate(pem.replace(/ /g, '%20').replace(/\n/g, '%0A')), pem);
  });

  it('reads a PEM with its newlines, or with them turned into spaces or tabs', () => {
    assert.equal(readForwardedCertificate(pem), pem);
    assert.equal(readForwardedCertificate(pem.replace(/\n/g, ' ').trim()), pem);
    assert.equal(readForwardedCertificate(pem.replace(/\n/g, '\r\n')), pem);
    assert.equal(readForwardedCertificate(pem.replace(/\n(?!$)/g, '\n\t')), pem, "nginx's legacy $ssl_client_cert indents with tabs");
    assert.equal(readForwardedCertificate(`-----BEGIN CERTIFICATE-----${body}-----END CERTIFICATE-----`), pem, 'one unbroken line');
  });

  it('gives undefined for empty and unrelated values', () => {
    for (const value of ['', ' ', 'garbage', '::', ':', 'MIIB', body, `:${body}`, `${body}:`, '-----BEGIN CERTIFICATE----------END CERTIFICATE-----']) {
      assert.equal(readForwardedCertificate(value), undefined, JSON.stringify(value.slice(0, 30)));
    }
  });

  it('gives undefined for bytes that are not a certificate', () => {
    assert.equal(readForwardedCertificate(`:${Buffer.from('not a certificate').toString('base64')}:`), undefined);
    assert.equal(readForwardedCertificate(`:${body.replace(/^MII/, 'MIJ')}:`), undefined, 'wrong length');
    assert.equal(readForwardedCertificate(':!!!!:'), undefined, 'not base64');
    assert.equal(readForwardedCertificate(`:${body.replace(/=+$/, '')}_-:`), undefined, 'base64url is not sf-binary');
    assert.equal(readForwardedCertificate(generateKeyPair('ec').privateKeyPem), undefined, 'a key is not a certificate');
    assert.equal(readForwardedCertificate(pem.replace('CERTIFICATE-----\n', 'CERTIFICATE-----\n%%')), undefined, 'broken URL escape');
    assert.equal(readForwardedCertificate('%E0%A4%A'), undefined, 'malformed percent-encoding');
  });

  it('gives undefined for more than one certificate or trailing bytes', () => {
    const other = selfSigned('other');
    assert.equal(readForwardedCertificate(pem + other), undefined);
    assert.equal(readForwardedCertificate(`:${Buffer.concat([der, new X509Certificate(other).raw]).toString('base64')}:`), undefined);
    assert.equal(readForwardedCertificate(`:${Buffer.concat([der, Buffer.of(0)]).toString('base64')}:`), undefined);
    assert.equal(readForwardedCertificate(`:${body}:;param=1`), undefined, 'Client-Cert is a bare byte sequence (RFC 9440 §2.2)');
  });
});
