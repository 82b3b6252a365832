import { createPrivateKey, createPublicKey, sign, X509Certificate, type KeyObject } from 'node:crypto';

import forge from 'node-forge';

import { encodeCertificateExtensions, type CertificateProfile } from './certificate-extensions.ts';
import { encodeDistinguishedName, readSubjectName, type CertificateSubject } from './distinguished-name.ts';
import { keyIdentifier } from './key-identifier.ts';
import { encodeSerialNumber } from './serial-number.ts';

export type { CertificateProfile, CertificateSubject };

const { asn1 } = forge;

/** A CA that signs: its certificate and its private key, both PEM. */
export interface CertificateIssuer {
  certificatePem: string;
  privateKeyPem: string;
}

interface CommonOptions {
  subject: CertificateSubject;
  profile: CertificateProfile;
  /** subjectAltName entries; a `server` certificate needs at least one, browsers ignore the CN. */
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Days from now until notAfter. */
  validDays: number;
  /** Positive, at most 20 bytes (RFC 5280 §4.1.2.2). Default: 126 random bits. */
  serialNumber?: bigint;
}

/** Signed by a CA: the subject's public key goes in, its private key never leaves the holder. */
export interface IssuedCertificateOptions extends CommonOptions {
  issuer: CertificateIssuer;
  publicKeyPem: string;
}

/** Self-signed: the subject's own private key signs, and the public key is derived from it. */
export interface SelfSignedCertificateOptions extends CommonOptions {
  issuer?: undefined;
  privateKeyPem: string;
}

export type IssueCertificateOptions = IssuedCertificateOptions | SelfSignedCertificateOptions;

/** The signature follows the signer's key; always SHA-256. */
const signatureAlgorithms: Record<string, forge.asn1.Asn1> = {
  // sha256WithRSAEncryption; parameters MUST be NULL (RFC 4055 §5).
  rsa: algorithmIdentifier('1.2.840.113549.1.1.11', [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]),
  // ecdsa-with-SHA256; parameters MUST be absent (RFC 5758 §3.2).
  ec: algorithmIdentifier('1.2.840.10045.4.3.2', []),
};

/** Allowance for clocks that run behind ours, so a fresh certificate is not "not yet valid". */
const clockSkewMs = 60_000;

/**
 * Issues an X.509 v3 certificate and returns it as PEM. forge encodes the structure; node:crypto
 * signs, because forge can only sign with RSA and only models RSA subject keys, while leaves here
 * may hold EC keys. Signers may be RSA or EC keys.
 *
 * @throws {RangeError} for a bad validity, serial number, country, or a server profile without names.
 * @throws {TypeError} when the issuer is not a CA or its key does not match its certificate, or
 *   for keys other than RSA and EC.
 *
 * @example
 * const caPem = issueCertificate({ subject: { commonName: 'Dev CA' }, profile: 'ca', privateKeyPem: caKey, validDays: 3650 });
 * const leafPem = issueCertificate({
 *   subject: { commonName: 'localhost' }, profile: 'server', dnsNames: ['localhost'], validDays: 365,
 *   publicKeyPem: leafPublicKey, issuer: { certificatePem: caPem, privateKeyPem: caKey },
 * });
 */
export function issueCertificate(options: IssueCertificateOptions): string {
  const { dnsNames = [], ipAddresses = [], profile, validDays } = options;
  if (!(validDays > 0) || !Number.isFinite(validDays)) throw new RangeError(`validDays must be a positive number, got ${validDays}`);
  if (profile === 'server' && dnsNames.length === 0 && ipAddresses.length === 0) {
    throw new RangeError('a server certificate needs at least one DNS name or IP address');
  }

  const signer = resolveSigner(options);
  const subjectKey = options.issuer ? createPublicKey(options.publicKeyPem) : createPublicKey(signer.privateKey);
  const subjectKeyIdentifier = keyIdentifier(subjectKey);
  const signature = signatureAlgorithms[signer.privateKey.asymmetricKeyType ?? ''];
  if (!signature) throw new TypeError(`unsupported signing key type: ${signer.privateKey.asymmetricKeyType}`);

  const now = Date.now();
  const tbsCertificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    // version v3, encoded as 2 (RFC 5280 §4.1.2.1)
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x02')]),
    encodeSerialNumber(options.serialNumber),
    signature,
    signer.name ?? encodeDistinguishedName(options.subject),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [time(now - clockSkewMs), time(now + validDays * 86_400_000)]),
    encodeDistinguishedName(options.subject),
    asn1.fromDer(subjectKey.export({ type: 'spki', format: 'der' }).toString('binary')),
    encodeCertificateExtensions({
      profile,
      subjectKeyIdentifier,
      authorityKeyIdentifier: signer.keyIdentifier ?? subjectKeyIdentifier,
      subjectKeyType: subjectKey.asymmetricKeyType ?? '',
      dnsNames,
      ipAddresses,
    }),
  ]);

  const tbsDer = Buffer.from(asn1.toDer(tbsCertificate).getBytes(), 'binary');
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbsCertificate,
    signature,
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${sign('sha256', tbsDer, signer.privateKey).toString('binary')}`),
  ]);
  return new X509Certificate(Buffer.from(asn1.toDer(certificate).getBytes(), 'binary')).toString();
}

/** Who signs; `name` and `keyIdentifier` are absent when the subject signs itself. */
interface Signer {
  privateKey: KeyObject;
  name?: forge.asn1.Asn1;
  keyIdentifier?: Buffer;
}

function resolveSigner(options: IssueCertificateOptions): Signer {
  if (!options.issuer) return { privateKey: createPrivateKey(options.privateKeyPem) };
  const certificate = new X509Certificate(options.issuer.certificatePem);
  const privateKey = createPrivateKey(options.issuer.privateKeyPem);
  if (!certificate.ca) throw new TypeError(`issuer ${certificate.subject} is not a CA (basicConstraints cA is not set)`);
  if (!certificate.checkPrivateKey(privateKey)) throw new TypeError(`issuer private key does not match the certificate of ${certificate.subject}`);
  return { privateKey, name: readSubjectName(certificate), keyIdentifier: keyIdentifier(certificate.publicKey) };
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime after; whole seconds either way. */
function time(epochMs: number): forge.asn1.Asn1 {
  const date = new Date(Math.floor(epochMs / 1000) * 1000);
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function algorithmIdentifier(oid: string, parameters: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
    ...parameters,
  ]);
}
