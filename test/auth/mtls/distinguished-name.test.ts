import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';

import forge from 'node-forge';

import { subjectMatches } from '../../../src/auth/mtls/distinguished-name.ts';

const { asn1, pki } = forge;

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = pki.privateKeyFromPem(keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
const publicKey = pki.publicKeyFromPem(keys.publicKey.export({ type: 'spki', format: 'pem' }) as string);

type Attribute = { shortName?: string; name?: string; type?: string; value: string; valueTagClass?: number };

/**
 * What Node reports as `X509Certificate#subject` for a real certificate with these attributes, in
 * order; `multiValued` joins the RDNs at those indexes into one RDN (X.501 `SET` of two values).
 * `subjectMatches` is only ever given this string, so the tests build it the same way.
 */
function certificateSubject(attributes: Attribute[], multiValued?: [number, number]): string {
  const certificate = pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = '01';
  certificate.validity.notBefore = new Date();
  certificate.validity.notAfter = new Date(Date.now() + 86_400_000);
  certificate.setSubject(attributes as never);
  certificate.setIssuer([{ shortName: 'CN', value: 'Test CA' }]);
  certificate.sign(signingKey, forge.md.sha256.create());
  const certificateAsn1 = pki.certificateToAsn1(certificate);
  if (multiValued) {
    // TBSCertificate: [0] version, serial, signature, issuer, validity, subject (RFC 5280 §4.1).
    const subject = ((certificateAsn1.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[])[5]!;
    const rdns = subject.value as forge.asn1.Asn1[];
    const [first, second] = multiValued;
    (rdns[first]!.value as forge.asn1.Asn1[]).push(...(rdns[second]!.value as forge.asn1.Asn1[]));
    rdns.splice(second, 1);
  }
  return new X509Certificate(Buffer.from(asn1.toDer(certificateAsn1).getBytes(), 'binary')).subject;
}

const utf8 = asn1.Type.UTF8;

// An Open Banking transport certificate, as the directory issues them.
const transport = certificateSubject([
  { shortName: 'C', value: 'GB' },
  { shortName: 'O', value: 'OpenBanking' },
  { shortName: 'OU', value: '0015800001041RE' },
  { shortName: 'CN', value: '5hzXm2Qk7mDTgYkTlbN3Sx' },
]);

// An eIDAS-style (OBWAC) certificate: the organisation identifier is 2.5.4.97.
const qwac = certificateSubject([
  { shortName: 'C', value: 'GB' },
  { shortName: 'O', value: 'Acme TPP Ltd' },
  { type: '2.5.4.97', value: 'PSDGB-OB-Unknown0015800001041RE', valueTagClass: utf8 },
  { shortName: 'CN', value: '0015800001041RE' },
]);

describe('subjectMatches', () => {
  test('what Node reports is what the helper assumes: one TYPE=value per line, most significant first', () => {
    assert.equal(transport, 'C=GB\nO=OpenBanking\nOU=0015800001041RE\nCN=5hzXm2Qk7mDTgYkTlbN3Sx');
    assert.equal(qwac, 'C=GB\nO=Acme TPP Ltd\norganizationIdentifier=PSDGB-OB-Unknown0015800001041RE\nCN=0015800001041RE');
  });

  test('an RFC 4514 DN (least significant first) matches, in any RDN order', () => {
    assert.equal(subjectMatches(transport, 'CN=5hzXm2Qk7mDTgYkTlbN3Sx,OU=0015800001041RE,O=OpenBanking,C=GB'), true);
    assert.equal(subjectMatches(transport, 'C=GB,O=OpenBanking,OU=0015800001041RE,CN=5hzXm2Qk7mDTgYkTlbN3Sx'), true);
    assert.equal(subjectMatches(transport, 'OU=0015800001041RE,C=GB,CN=5hzXm2Qk7mDTgYkTlbN3Sx,O=OpenBanking'), true);
  });

  test('spaces around separators, as registrations are often typed, are ignored', () => {
    assert.equal(subjectMatches(transport, 'CN=5hzXm2Qk7mDTgYkTlbN3Sx, OU=0015800001041RE, O=OpenBanking, C=GB'), true);
  });

  test('attribute types are case-insensitive and may be spelled as long names or OIDs', () => {
    assert.equal(subjectMatches(transport, 'cn=5hzXm2Qk7mDTgYkTlbN3Sx,ou=0015800001041RE,o=OpenBanking,c=GB'), true);
    assert.equal(subjectMatches(transport, 'commonName=5hzXm2Qk7mDTgYkTlbN3Sx,organizationalUnitName=0015800001041RE,organizationName=OpenBanking,countryName=GB'), true);
    assert.equal(subjectMatches(transport, '2.5.4.3=5hzXm2Qk7mDTgYkTlbN3Sx,2.5.4.11=0015800001041RE,2.5.4.10=OpenBanking,2.5.4.6=GB'), true);
    assert.equal(subjectMatches(transport, 'OID.2.5.4.3=5hzXm2Qk7mDTgYkTlbN3Sx,oid.2.5.4.11=0015800001041RE,O=OpenBanking,C=GB'), true);
  });

  test('organizationIdentifier matches as 2.5.4.97, OID.2.5.4.97 or its name', () => {
    for (const type of ['2.5.4.97', 'OID.2.5.4.97', 'organizationIdentifier', 'ORGANIZATIONIDENTIFIER']) {
      assert.equal(subjectMatches(qwac, `CN=0015800001041RE,${type}=PSDGB-OB-Unknown0015800001041RE,O=Acme TPP Ltd,C=GB`), true, type);
    }
    assert.equal(subjectMatches(qwac, 'CN=0015800001041RE,2.5.4.97=PSDGB-OB-Unknown0015800001041RF,O=Acme TPP Ltd,C=GB'), false, 'a different identifier');
    assert.equal(subjectMatches(qwac, 'CN=0015800001041RE,OU=PSDGB-OB-Unknown0015800001041RE,O=Acme TPP Ltd,C=GB'), false, 'the same value under another type');
  });

  test('emailAddress matches as E, its OID or its name', () => {
    const subject = certificateSubject([{ shortName: 'CN', value: 'tpp' }, { name: 'emailAddress', value: 'ops@tpp.example' }]);
    assert.equal(subject, 'CN=tpp\nemailAddress=ops@tpp.example');
    for (const type of ['E', '1.2.840.113549.1.9.1', 'emailAddress']) {
      assert.equal(subjectMatches(subject, `${type}=ops@tpp.example,CN=tpp`), true, type);
    }
  });

  test('escaped commas and plus signs are part of the value (RFC 4514 §2.4)', () => {
    const subject = certificateSubject([{ shortName: 'C', value: 'GB' }, { shortName: 'O', value: 'Bank, Ltd' }, { shortName: 'CN', value: 'Pay+Go', valueTagClass: utf8 }]);
    assert.equal(subject, 'C=GB\nO=Bank\\, Ltd\nCN=Pay\\+Go', 'Node escapes them too');
    assert.equal(subjectMatches(subject, 'CN=Pay\\+Go,O=Bank\\, Ltd,C=GB'), true);
    assert.equal(subjectMatches(subject, 'CN=Pay\\2BGo,O=Bank\\2C Ltd,C=GB'), true, 'hex escapes');
    assert.equal(subjectMatches(subject, 'CN=Pay\\+Go,O=Bank, Ltd,C=GB'), false, 'an unescaped comma ends the RDN');
    assert.equal(subjectMatches(subject, 'CN=Pay+Go,O=Bank\\, Ltd,C=GB'), false, 'an unescaped plus starts another attribute');
  });

  test('non-ASCII values match, whether written out or as escaped UTF-8 octets (RFC 4514 §2.4)', () => {
    const subject = certificateSubject([{ shortName: 'O', value: 'Café', valueTagClass: utf8 }, { shortName: 'CN', value: 'tpp' }]);
    assert.equal(subject, 'O=Café\nCN=tpp');
    assert.equal(subjectMatches(subject, 'CN=tpp,O=Café'), true, 'written out');
    assert.equal(subjectMatches(subject, 'CN=tpp,O=Caf\\C3\\A9'), true, 'as escaped UTF-8 octets');
  });

  test('a multi-valued RDN matches its RFC 4514 form with +', () => {
    const subject = certificateSubject([{ shortName: 'C', value: 'GB' }, { shortName: 'O', value: 'Bank' }, { shortName: 'OU', value: 'payments' }, { shortName: 'CN', value: 'tpp' }], [2, 3]);
    assert.equal(subject, 'C=GB\nO=Bank\nOU=payments + CN=tpp', 'Node joins the values of one RDN with " + "');
    assert.equal(subjectMatches(subject, 'CN=tpp+OU=payments,O=Bank,C=GB'), true, 'the RDN in the order written');
    assert.equal(subjectMatches(subject, 'OU=payments+CN=tpp,O=Bank,C=GB'), true);
    assert.equal(subjectMatches(subject, 'CN=someone-else+OU=payments,O=Bank,C=GB'), false);
  });

  test('a different value, or a value in another attribute, does not match', () => {
    assert.equal(subjectMatches(transport, 'CN=5hzXm2Qk7mDTgYkTlbN3Sy,OU=0015800001041RE,O=OpenBanking,C=GB'), false);
    assert.equal(subjectMatches(transport, 'CN=0015800001041RE,OU=5hzXm2Qk7mDTgYkTlbN3Sx,O=OpenBanking,C=GB'), false, 'values swapped between attributes');
    assert.equal(subjectMatches(transport, 'CN=5hzXm2Qk7mDTgYkTlbN3Sx,OU=0015800001041RE,O=OpenBanking,C=IE'), false);
    assert.equal(subjectMatches(transport, 'CN=5hzXm2Qk7mDTgYkTlbN3Sx ,OU=0015800001041RE,O=Open Banking,C=GB'), false);
  });

  test('an extra attribute on either side does not match', () => {
    assert.equal(subjectMatches(transport, 'CN=5hzXm2Qk7mDTgYkTlbN3Sx,OU=0015800001041RE,O=OpenBanking,L=London,C=GB'), false, 'the registration asks for more');
    assert.equal(subjectMatches(transport, 'CN=5hzXm2Qk7mDTgYkTlbN3Sx,O=OpenBanking,C=GB'), false, 'the certificate has more');
    assert.equal(subjectMatches(transport, 'CN=5hzXm2Qk7mDTgYkTlbN3Sx,CN=5hzXm2Qk7mDTgYkTlbN3Sx,OU=0015800001041RE,O=OpenBanking,C=GB'), false, 'a repeated attribute');
    assert.equal(subjectMatches(transport, 'CN=5hzXm2Qk7mDTgYkTlbN3Sx'), false, 'the common name alone');
  });

  test('a malformed or empty DN never matches', () => {
    for (const expected of ['', ',', 'CN', '=5hzXm2Qk7mDTgYkTlbN3Sx', 'CN=5hzXm2Qk7mDTgYkTlbN3Sx,OU0015800001041RE,O=OpenBanking,C=GB']) {
      assert.equal(subjectMatches(transport, expected), false, JSON.stringify(expected));
    }
  });
});
