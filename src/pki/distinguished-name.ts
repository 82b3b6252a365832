import type { X509Certificate } from 'node:crypto';

import forge from 'node-forge';

const { asn1 } = forge;

/** The subject fields a Portcullis certificate carries; Open Banking puts the organisation id in OU. */
export interface CertificateSubject {
  commonName: string;
  organizationName?: string;
  organizationalUnitName?: string;
  /** ISO 3166 two-letter code, e.g. `GB`. */
  countryName?: string;
}

/** Attribute order is most significant first, as OpenSSL prints it: C, O, OU, CN. */
const attributeTypes = [
  ['countryName', '2.5.4.6'],
  ['organizationName', '2.5.4.10'],
  ['organizationalUnitName', '2.5.4.11'],
  ['commonName', '2.5.4.3'],
] as const;

/**
 * Encodes a subject as an X.501 Name. RFC 5280 §4.1.2.4 wants UTF8String for new certificates,
 * except countryName, which RFC 5280 Appendix A fixes as a PrintableString.
 *
 * @throws {RangeError} when countryName is not two capital letters.
 */
export function encodeDistinguishedName(subject: CertificateSubject): forge.asn1.Asn1 {
  if (subject.countryName !== undefined && !/^[A-Z]{2}$/.test(subject.countryName)) {
    throw new RangeError(`countryName must be a two-letter ISO 3166 code, got ${JSON.stringify(subject.countryName)}`);
  }
  const relativeNames = attributeTypes
    .filter(([field]) => subject[field] !== undefined)
    .map(([field, oid]) => {
      const stringType = field === 'countryName' ? asn1.Type.PRINTABLESTRING : asn1.Type.UTF8;
      const value = Buffer.from(subject[field] ?? '', 'utf8').toString('binary');
      return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
          asn1.create(asn1.Class.UNIVERSAL, stringType, false, value),
        ]),
      ]);
    });
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, relativeNames);
}

/**
 * The subject Name of an existing certificate, byte for byte. A child's issuer field is copied
 * from here rather than re-encoded, because path validation matches names (RFC 5280 §7.1) and a
 * CA made elsewhere may encode its strings differently.
 */
export function readSubjectName(certificate: X509Certificate): forge.asn1.Asn1 {
  const [tbsCertificate] = asn1.fromDer(certificate.raw.toString('binary')).value as forge.asn1.Asn1[];
  const fields = tbsCertificate.value as forge.asn1.Asn1[];
  // TBSCertificate (RFC 5280 §4.1): [0] version (absent in v1), serial, signature, issuer, validity, subject.
  const hasVersion = fields[0].tagClass === asn1.Class.CONTEXT_SPECIFIC;
  return fields[hasVersion ? 5 : 4];
}
