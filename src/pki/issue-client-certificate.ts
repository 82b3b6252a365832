import { generateKeyPair } from './generate-key-pair.ts';
import { issueCertificate, type CertificateIssuer, type CertificateSubject } from './issue-certificate.ts';

/** A certificate and the private key that goes with it, both PEM. */
export interface CertificateWithKey {
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * Mints a partner's transport certificate (RFC 8705 `tls_client_auth`): a fresh P-256 key and a
 * one-year `client` certificate from the given CA. For the development CA and the sandbox
 * directory; a real partner brings a certificate from a real directory.
 *
 * @example
 * const ca = { certificatePem: devPki.caCertificatePem, privateKeyPem: devPki.caPrivateKeyPem };
 * const tpp = issueClientCertificate(ca, { commonName: softwareId, organizationName: 'Acme TPP', organizationalUnitName: orgId });
 */
export function issueClientCertificate(ca: CertificateIssuer, subject: CertificateSubject): CertificateWithKey {
  const { privateKeyPem, publicKeyPem } = generateKeyPair('ec');
  const certificatePem = issueCertificate({ subject, profile: 'client', publicKeyPem, issuer: ca, validDays: 365 });
  return { certificatePem, privateKeyPem };
}
