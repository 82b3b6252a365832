import { createHash, X509Certificate } from 'node:crypto';

/**
 * The RFC 8705 §3.1 `x5t#S256` value: base64url of the SHA-256 of the certificate's DER. The
 * certificate is parsed first, so PEM and DER of the same certificate give the same thumbprint
 * and bytes that are not a certificate fail loudly instead of binding a token to garbage.
 *
 * @throws when the input is not a certificate.
 *
 * @example
 * const cnf = { 'x5t#S256': certificateThumbprint(clientCertificatePem) };
 */
export function certificateThumbprint(pemOrDer: string | Buffer): string {
  return createHash('sha256').update(new X509Certificate(pemOrDer).raw).digest('base64url');
}
