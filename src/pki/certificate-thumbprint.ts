import { hash, X509Certificate } from 'node:crypto';

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
  if (typeof pemOrDer !== 'string') return thumbprintOf(pemOrDer);
  let thumbprint = pemThumbprints.get(pemOrDer);
  if (thumbprint === undefined) {
    thumbprint = thumbprintOf(pemOrDer);
    if (pemThumbprints.size >= REMEMBERED_PEMS) pemThumbprints.clear();
    pemThumbprints.set(pemOrDer, thumbprint);
  }
  return thumbprint;
}

function thumbprintOf(pemOrDer: string | Buffer): string {
  return hash('sha256', new X509Certificate(pemOrDer).raw, 'base64url');
}

/*
 * The gateway checks a certificate-bound token on every call, and partners present the same few
 * certificates over and over: parsing one took a few per cent of a call's CPU. A PEM's thumbprint
 * never changes, so the last ones are remembered (a bounded set, emptied when full).
 */
const REMEMBERED_PEMS = 1024;
const pemThumbprints = new Map<string, string>();
