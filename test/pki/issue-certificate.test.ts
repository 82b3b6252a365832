import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, it } from 'node:test';

import forge from 'node-forge';

import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate, type CertificateIssuer } from '../../src/pki/issue-certificate.ts';
import { keyUsageNames, oids, readExtensions } from './read-extensions.ts';

const rootKey = generateKeyPair('rsa');
const rootPem = issueCertificate({
  subject: { commonName: 'Test Root', organizationName: 'Société Générale de Test', countryName: 'GB' },
  profile: 'ca',
  privateKeyPem: rootKey.privateKeyPem,
  validDays: 3650,
});
const root: CertificateIssuer = { certificatePem: rootPem, privateKeyPem: rootKey.privateKeyPem };

function issueLeaf(profile: 'server' | 'client', kind: 'rsa' | 'ec', extra: { dnsNames?: string[]; ipAddresses?: string[] } = {}) {
  const { publicKeyPem } = generateKeyPair(kind);
  return issueCertificate({ subject: { commonName: `${profile}-${kind}` }, profile, publicKeyPem, issuer: root, validDays: 30, ...extra });
}

describe('issueCertificate', () => {
  it('makes a self-signed CA: cA set and critical, keyCertSign and cRLSign, SHA-256 with RSA', () => {
    const ca = new X509Certificate(rootPem);
    assert.equal(ca.ca, true);
    assert.equal(ca.subject, 'C=GB\nO=Société Générale de Test\nCN=Test Root');
    assert.equal(ca.issuer, ca.subject);
    assert.equal(ca.checkIssued(ca), true);
    assert.equal(ca.verify(ca.publicKey), true);
    assert.equal(ca.keyUsage, undefined, 'a CA carries no extended key usage');
    const extensions = readExtensions(rootPem);
    assert.equal(extensions.get(oids.basicConstraints)?.critical, true);
    assert.deepEqual(keyUsageNames(extensions.get(oids.keyUsage)!), ['keyCertSign', 'cRLSign']);
    assert.equal(extensions.get(oids.keyUsage)?.critical, true);
    assert.deepEqual(extensions.get(oids.authorityKeyIdentifier)?.value.subarray(4), extensions.get(oids.subjectKeyIdentifier)?.value.subarray(2));
    assert.equal(ca.signatureAlgorithm, 'sha256WithRSAEncryption');
  });

  it('makes a server certificate with serverAuth, its names as subjectAltName, and no CA rights', () => {
    const pem = issueLeaf('server', 'ec', { dnsNames: ['localhost', 'portcullis.test'], ipAddresses: ['127.0.0.1', '::1'] });
    const server = new X509Certificate(pem);
    assert.equal(server.ca, false);
    assert.deepEqual(server.keyUsage, [oids.serverAuth]);
    assert.equal(server.subjectAltName, 'DNS:localhost, DNS:portcullis.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.equal(server.checkHost('portcullis.test', { subject: 'never' }), 'portcullis.test');
    assert.equal(server.checkIP('::1'), '::1');
    assert.equal(server.checkIssued(new X509Certificate(rootPem)), true);
    assert.equal(server.verify(new X509Certificate(rootPem).publicKey), true);
    assert.deepEqual(keyUsageNames(readExtensions(pem).get(oids.keyUsage)!), ['digitalSignature'], 'no keyEncipherment for an EC key (RFC 5480 §3)');
  });

  it('adds keyEncipherment to a server certificate only when its key is RSA', () => {
    const pem = issueLeaf('server', 'rsa', { dnsNames: ['localhost'] });
    assert.deepEqual(keyUsageNames(readExtensions(pem).get(oids.keyUsage)!), ['digitalSignature', 'keyEncipherment']);
  });

  it('makes a client certificate with clientAuth and digitalSignature only', () => {
    const pem = issueLeaf('client', 'ec');
    const client = new X509Certificate(pem);
    assert.deepEqual(client.keyUsage, [oids.clientAuth]);
    assert.equal(client.subjectAltName, undefined);
    assert.equal(client.ca, false);
    const extensions = readExtensions(pem);
    assert.deepEqual(keyUsageNames(extensions.get(oids.keyUsage)!), ['digitalSignature']);
    assert.deepEqual(extensions.get(oids.basicConstraints), { critical: true, value: Buffer.from('3000', 'hex') });
    assert.deepEqual(
      extensions.get(oids.authorityKeyIdentifier)?.value.subarray(4),
      readExtensions(rootPem).get(oids.subjectKeyIdentifier)?.value.subarray(2),
      "the authority key identifier is the issuer's subject key identifier",
    );
  });

  it('copies the issuer name byte for byte from the issuer certificate', () => {
    const client = new X509Certificate(issueLeaf('client', 'rsa'));
    assert.equal(client.issuer, new X509Certificate(rootPem).subject);
  });

  it('backdates notBefore by a minute and sets notAfter validDays ahead', () => {
    const before = Date.now();
    const leaf = new X509Certificate(issueLeaf('client', 'ec'));
    const after = Date.now();
    const notBefore = leaf.validFromDate.getTime();
    const notAfter = leaf.validToDate.getTime();
    assert.ok(notBefore >= Math.floor(before / 1000) * 1000 - 60_000 && notBefore <= after - 59_000, 'notBefore is a minute ago');
    assert.ok(notAfter >= Math.floor(before / 1000) * 1000 + 30 * 86_400_000 && notAfter <= after + 30 * 86_400_000);
  });

  it('uses GeneralizedTime past 2049 and still parses', () => {
    const { privateKeyPem } = generateKeyPair('ec');
    const ca = new X509Certificate(issueCertificate({ subject: { commonName: 'Long' }, profile: 'ca', privateKeyPem, validDays: 365 * 40 }));
    assert.ok(ca.validToDate.getUTCFullYear() >= 2050);
  });

  it('draws a fresh positive 16-byte serial number each time', () => {
    const serials = new Set([0, 1, 2].map(() => new X509Certificate(issueLeaf('client', 'ec')).serialNumber));
    assert.equal(serials.size, 3);
    for (const serial of serials) assert.match(serial, /^[4-7][0-9A-F]{31}$/);
  });

  it('encodes a given serial number as a positive DER INTEGER', () => {
    const { privateKeyPem } = generateKeyPair('ec');
    // The INTEGER's content octets, as they are in the DER, not as Node prints the value.
    const issue = (serialNumber: bigint) => {
      const der = new X509Certificate(issueCertificate({ subject: { commonName: 's' }, profile: 'ca', privateKeyPem, validDays: 1, serialNumber })).raw;
      const [tbs] = forge.asn1.fromDer(der.toString('binary')).value as forge.asn1.Asn1[];
      return Buffer.from((tbs.value as forge.asn1.Asn1[])[1].value as string, 'binary').toString('hex');
    };
    assert.equal(issue(1n), '01');
    assert.equal(issue(0x80n), '0080', 'a leading zero keeps it positive');
    assert.equal(issue(0x1234n), '1234');
    assert.equal(issue(2n ** 159n - 1n), '7f'.padEnd(40, 'f'));
    assert.throws(() => issue(0n), RangeError);
    assert.throws(() => issue(-5n), RangeError);
    assert.throws(() => issue(2n ** 159n), RangeError, 'more than 20 bytes');
  });

  it('signs with ECDSA SHA-256 when the CA key is EC', () => {
    const caKey = generateKeyPair('ec');
    const caPem = issueCertificate({ subject: { commonName: 'EC Root' }, profile: 'ca', privateKeyPem: caKey.privateKeyPem, validDays: 10 });
    const leafPem = issueCertificate({
      subject: { commonName: 'leaf' }, profile: 'client', publicKeyPem: generateKeyPair('rsa').publicKeyPem, validDays: 1,
      issuer: { certificatePem: caPem, privateKeyPem: caKey.privateKeyPem },
    });
    const leaf = new X509Certificate(leafPem);
    assert.equal(leaf.signatureAlgorithm, 'ecdsa-with-SHA256');
    assert.equal(leaf.checkIssued(new X509Certificate(caPem)), true);
    assert.equal(leaf.verify(new X509Certificate(caPem).publicKey), true);
    assert.equal(leaf.verify(new X509Certificate(rootPem).publicKey), false);
  });

  it('puts the given public key in the certificate', () => {
    const { privateKeyPem, publicKeyPem } = generateKeyPair('ec');
    const leaf = new X509Certificate(issueCertificate({ subject: { commonName: 'k' }, profile: 'client', publicKeyPem, issuer: root, validDays: 1 }));
    assert.equal(leaf.checkPrivateKey(createPrivateKey(privateKeyPem)), true);
  });

  it('refuses an issuer that is not a CA, or whose key is not its own', () => {
    const clientKey = generateKeyPair('rsa');
    const clientPem = issueCertificate({ subject: { commonName: 'c' }, profile: 'client', publicKeyPem: clientKey.publicKeyPem, issuer: root, validDays: 1 });
    const { publicKeyPem } = generateKeyPair('ec');
    const options = { subject: { commonName: 'x' }, profile: 'client', publicKeyPem, validDays: 1 } as const;
    assert.throws(() => issueCertificate({ ...options, issuer: { certificatePem: clientPem, privateKeyPem: clientKey.privateKeyPem } }), { name: 'TypeError', message: /is not a CA/ });
    assert.throws(() => issueCertificate({ ...options, issuer: { certificatePem: rootPem, privateKeyPem: clientKey.privateKeyPem } }), { name: 'TypeError', message: /does not match/ });
  });

  it('refuses a server certificate without names, a non-positive validity and a bad country', () => {
    const { publicKeyPem } = generateKeyPair('ec');
    const base = { subject: { commonName: 'x' }, publicKeyPem, issuer: root, validDays: 1 } as const;
    assert.throws(() => issueCertificate({ ...base, profile: 'server' }), { name: 'RangeError', message: /at least one DNS name or IP address/ });
    assert.throws(() => issueCertificate({ ...base, profile: 'client', validDays: 0 }), RangeError);
    assert.throws(() => issueCertificate({ ...base, profile: 'client', validDays: Number.NaN }), RangeError);
    assert.throws(() => issueCertificate({ ...base, profile: 'client', subject: { commonName: 'x', countryName: 'United Kingdom' } }), RangeError);
    assert.throws(() => issueCertificate({ ...base, profile: 'server', ipAddresses: ['not-an-ip'] }), /not a valid IPv4 or IPv6/);
  });
});
