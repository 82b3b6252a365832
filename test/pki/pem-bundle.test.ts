import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';

import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { splitPemBundle } from '../../src/pki/pem-bundle.ts';

const certificates = ['First', 'Second', 'Third'].map((commonName) =>
  issueCertificate({ subject: { commonName }, profile: 'ca', privateKeyPem: generateKeyPair('ec').privateKeyPem, validDays: 1 }));

describe('splitPemBundle', () => {
  it('returns each certificate of a concatenated file, in order', () => {
    const parts = splitPemBundle(certificates.join(''));
    assert.deepEqual(parts, certificates);
    assert.deepEqual(parts.map((pem) => new X509Certificate(pem).subject), ['CN=First', 'CN=Second', 'CN=Third']);
  });

  it('skips OpenSSL text lines and other PEM blocks, and normalises CRLF', () => {
    const bundle = [
      'subject=CN = First\r\nissuer=CN = First\r\n',
      certificates[0].replace(/\n/g, '\r\n'),
      '\n# a comment\n',
      generateKeyPair('ec').privateKeyPem,
      certificates[1],
      certificates[2].trimEnd(),
    ].join('');
    assert.deepEqual(splitPemBundle(bundle), certificates);
  });

  it('returns nothing for a file without certificates', () => {
    assert.deepEqual(splitPemBundle(''), []);
    assert.deepEqual(splitPemBundle(generateKeyPair('ec').publicKeyPem), []);
    assert.deepEqual(splitPemBundle('-----BEGIN CERTIFICATE-----\nMIIB'), [], 'a block cut short');
  });
});
