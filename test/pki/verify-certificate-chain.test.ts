import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';

import forge from 'node-forge';

import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate, type CertificateIssuer, type CertificateProfile } from '../../src/pki/issue-certificate.ts';
import { verifyCertificateChain } from '../../src/pki/verify-certificate-chain.ts';

const day = 86_400_000;

function newCa(commonName: string, validDays = 3650, issuer?: CertificateIssuer): CertificateIssuer {
  const { privateKeyPem, publicKeyPem } = generateKeyPair('rsa');
  const certificatePem = issuer
    ? issueCertificate({ subject: { commonName }, profile: 'ca', publicKeyPem, issuer, validDays })
    : issueCertificate({ subject: { commonName }, profile: 'ca', privateKeyPem, validDays });
  return { certificatePem, privateKeyPem };
}

function newLeaf(issuer: CertificateIssuer, profile: CertificateProfile = 'client', validDays = 365): string {
  const { publicKeyPem } = generateKeyPair('ec');
  return issueCertificate({ subject: { commonName: `${profile} leaf` }, profile, publicKeyPem, issuer, validDays, dnsNames: ['leaf.test'] });
}

/**
 * A certificate with no basicConstraints and no keyUsage, signing a client certificate. forge
 * builds it because `issueCertificate` refuses to let a non-CA sign; without keyUsage,
 * `checkIssued` passes, so only the CA check stands between it and acceptance.
 */
function nonCaIssuerAndChild(): { issuerPem: string; childPem: string } {
  const issuerKey = generateKeyPair('rsa');
  const childKey = generateKeyPair('rsa');
  const make = (publicKeyPem: string, subject: string, serialNumber: string) => {
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
    certificate.serialNumber = serialNumber;
    certificate.validity.notBefore = new Date(Date.now() - day);
    certificate.validity.notAfter = new Date(Date.now() + day);
    certificate.setSubject([{ name: 'commonName', value: subject }]);
    certificate.setIssuer([{ name: 'commonName', value: 'Not A CA' }]);
    certificate.sign(forge.pki.privateKeyFromPem(issuerKey.privateKeyPem), forge.md.sha256.create());
    return forge.pki.certificateToPem(certificate);
  };
  return { issuerPem: make(issuerKey.publicKeyPem, 'Not A CA', '01'), childPem: make(childKey.publicKeyPem, 'child', '02') };
}

describe('verifyCertificateChain', () => {
  const root = newCa('Root');
  const otherRoot = newCa('Root'); // same name, different key
  const intermediate = newCa('Intermediate', 3650, root);
  const clientLeaf = newLeaf(root);
  const leafUnderIntermediate = newLeaf(intermediate);
  const leafNotBefore = new X509Certificate(clientLeaf).validFromDate.getTime();

  it('accepts a client certificate issued by an anchor', () => {
    assert.equal(verifyCertificateChain(clientLeaf, [root.certificatePem]), true);
    assert.equal(verifyCertificateChain(clientLeaf, [otherRoot.certificatePem, root.certificatePem]), true, 'any anchor will do');
  });

  it('accepts a path through a supplied intermediate, and only with it', () => {
    assert.equal(verifyCertificateChain(leafUnderIntermediate, [root.certificatePem], [intermediate.certificatePem]), true);
    assert.equal(verifyCertificateChain(leafUnderIntermediate, [root.certificatePem]), false);
    assert.equal(verifyCertificateChain(leafUnderIntermediate, [intermediate.certificatePem]), true, 'an intermediate may itself be the anchor');
  });

  it('finds the working intermediate among ones that lead nowhere', () => {
    const decoy = newCa('Intermediate', 3650, otherRoot);
    assert.equal(verifyCertificateChain(leafUnderIntermediate, [root.certificatePem], [decoy.certificatePem, intermediate.certificatePem]), true);
  });

  it('rejects a chain to another anchor, even one with the issuer name', () => {
    assert.equal(verifyCertificateChain(clientLeaf, [otherRoot.certificatePem]), false);
    assert.equal(verifyCertificateChain(clientLeaf, []), false);
  });

  it('rejects a self-signed leaf, whether or not it is offered as its own anchor', () => {
    const selfSigned = issueCertificate({ subject: { commonName: 'self' }, profile: 'client', privateKeyPem: generateKeyPair('ec').privateKeyPem, validDays: 1 });
    assert.equal(verifyCertificateChain(selfSigned, [root.certificatePem]), false);
    assert.equal(verifyCertificateChain(selfSigned, [selfSigned]), false, 'a non-CA anchor signs nothing');
  });

  it('rejects a certificate signed by an issuer that is not a CA', () => {
    const { issuerPem, childPem } = nonCaIssuerAndChild();
    assert.equal(new X509Certificate(childPem).checkIssued(new X509Certificate(issuerPem)), true, 'names and signature match');
    assert.equal(verifyCertificateChain(childPem, [issuerPem]), false);
    assert.equal(verifyCertificateChain(childPem, [root.certificatePem], [issuerPem]), false);
  });

  it('rejects a leaf outside its validity period', () => {
    assert.equal(verifyCertificateChain(clientLeaf, [root.certificatePem], [], new Date(leafNotBefore + 100 * day)), true);
    assert.equal(verifyCertificateChain(clientLeaf, [root.certificatePem], [], new Date(leafNotBefore + 366 * day)), false, 'expired');
    assert.equal(verifyCertificateChain(clientLeaf, [root.certificatePem], [], new Date(leafNotBefore - 1000)), false, 'not yet valid');
  });

  it('rejects a path whose anchor or intermediate has expired', () => {
    const shortRoot = newCa('Short Root', 30);
    const longLeaf = newLeaf(shortRoot, 'client', 365);
    const at60Days = new Date(leafNotBefore + 60 * day);
    assert.equal(verifyCertificateChain(longLeaf, [shortRoot.certificatePem]), true);
    assert.equal(verifyCertificateChain(longLeaf, [shortRoot.certificatePem], [], at60Days), false);

    const shortIntermediate = newCa('Short Intermediate', 30, root);
    const leaf = newLeaf(shortIntermediate, 'client', 365);
    assert.equal(verifyCertificateChain(leaf, [root.certificatePem], [shortIntermediate.certificatePem]), true);
    assert.equal(verifyCertificateChain(leaf, [root.certificatePem], [shortIntermediate.certificatePem], at60Days), false);
  });

  it('rejects a leaf whose extended key usage excludes clientAuth, and accepts one without any', () => {
    assert.equal(verifyCertificateChain(newLeaf(root, 'server'), [root.certificatePem]), false);
    assert.equal(new X509Certificate(intermediate.certificatePem).keyUsage, undefined);
    assert.equal(verifyCertificateChain(intermediate.certificatePem, [root.certificatePem]), true);
  });

  it('rejects a leaf whose signature was tampered with', () => {
    const der = Buffer.from(new X509Certificate(clientLeaf).raw);
    der[der.length - 5] ^= 0x01;
    const tampered = new X509Certificate(der).toString();
    assert.equal(verifyCertificateChain(tampered, [root.certificatePem]), false);
  });

  it('returns false, never throws, for garbage', () => {
    const anchors = [root.certificatePem];
    assert.equal(verifyCertificateChain('', anchors), false);
    assert.equal(verifyCertificateChain('garbage', anchors), false);
    assert.equal(verifyCertificateChain(clientLeaf.replace('MII', 'MIJ'), anchors), false);
    assert.equal(verifyCertificateChain(generateKeyPair('ec').publicKeyPem, anchors), false);
    assert.equal(verifyCertificateChain(clientLeaf, ['garbage']), false);
    assert.equal(verifyCertificateChain(clientLeaf, anchors, ['garbage']), false);
    assert.equal(verifyCertificateChain(clientLeaf, anchors, [], new Date('invalid')), false);
    assert.equal(verifyCertificateChain(undefined as unknown as string, anchors), false);
    assert.equal(verifyCertificateChain(clientLeaf, null as unknown as string[]), false);
  });
});
