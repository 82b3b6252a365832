import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, it } from 'node:test';

import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { issueClientCertificate } from '../../src/pki/issue-client-certificate.ts';
import { verifyCertificateChain } from '../../src/pki/verify-certificate-chain.ts';

const caKey = generateKeyPair('rsa');
const ca = {
  certificatePem: issueCertificate({ subject: { commonName: 'Directory CA' }, profile: 'ca', privateKeyPem: caKey.privateKeyPem, validDays: 30 }),
  privateKeyPem: caKey.privateKeyPem,
};

describe('issueClientCertificate', () => {
  const subject = { commonName: 'software-123', organizationName: 'Acme TPP', organizationalUnitName: '0015800001ACMEORG1', countryName: 'GB' };
  const { certificatePem, privateKeyPem } = issueClientCertificate(ca, subject);
  const certificate = new X509Certificate(certificatePem);

  it('mints a one-year clientAuth certificate for the subject, from the CA', () => {
    assert.equal(certificate.subject, 'C=GB\nO=Acme TPP\nOU=0015800001ACMEORG1\nCN=software-123');
    assert.equal(certificate.issuer, 'CN=Directory CA');
    assert.deepEqual(certificate.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    const days = (certificate.validToDate.getTime() - certificate.validFromDate.getTime()) / 86_400_000;
    assert.ok(days > 365 && days < 365.01, `${days} days`);
    assert.equal(verifyCertificateChain(certificatePem, [ca.certificatePem]), true);
  });

  it('returns the P-256 private key that matches the certificate', () => {
    const key = createPrivateKey(privateKeyPem);
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(certificate.checkPrivateKey(key), true);
  });

  it('uses a fresh key every time', () => {
    assert.notEqual(issueClientCertificate(ca, subject).privateKeyPem, privateKeyPem);
  });
});
