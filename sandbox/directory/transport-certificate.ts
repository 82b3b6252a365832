import { issueClientCertificate, type CertificateWithKey } from '../../src/pki/issue-client-certificate.ts';
import { directoryCaName, type TransportCa } from './transport-ca.ts';

/** Who a transport certificate names: the partner's organisation and software in the directory. */
export interface TransportSubject {
  orgId: string;
  softwareId: string;
}

/**
 * A partner's transport certificate (RFC 8705 mutual TLS), named as the Open Banking Directory
 * names them: `CN=<software id>, OU=<organisation id>, O=<directory>, C=GB`, so that a client's
 * `tls_client_auth_subject_dn` reads as it would in production. A fresh P-256 key; clientAuth and
 * digitalSignature only; valid one year (`issueClientCertificate`).
 */
export function issueTransportCertificate(ca: TransportCa, subject: TransportSubject): CertificateWithKey {
  return issueClientCertificate(ca, { commonName: subject.softwareId, organizationalUnitName: subject.orgId, organizationName: directoryCaName, countryName: 'GB' });
}

/** The certificate's subject as an RFC 4514 string, most specific first, for `tls_client_auth_subject_dn`. */
export function transportSubjectDn(subject: TransportSubject): string {
  return `CN=${subject.softwareId},OU=${subject.orgId},O=${directoryCaName},C=GB`;
}
