import { X509Certificate } from 'node:crypto';

/** RFC 9440 §2.2: `Client-Cert` is a Structured Field Byte Sequence (RFC 8941 §3.3.5) of the DER. */
const byteSequence = /^:([A-Za-z0-9+/]+={0,2}):$/;

/** One PEM certificate; the body may be broken by newlines, spaces or tabs, as proxies rewrap it. */
const pemCertificate = /^-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----$/;

/**
 * Turns the client-certificate header a TLS-terminating proxy sets into a PEM certificate. Three
 * forms are understood, covering the common proxies:
 * - RFC 9440 `Client-Cert`: `:<base64 DER>:`;
 * - a URL-encoded PEM, as nginx's `$ssl_client_escaped_cert` and AWS load balancers send it;
 * - a PEM whose newlines were kept or turned into spaces.
 *
 * Anything else, including a chain of several certificates or trailing bytes after the DER,
 * gives `undefined`. Only call this for requests from a trusted proxy: the header is whatever
 * the sender wants it to be.
 *
 * @example
 * const pem = readForwardedCertificate(ctx.get('client-cert'));
 */
export function readForwardedCertificate(headerValue: string): string | undefined {
  const value = headerValue.trim();
  const sfBinary = byteSequence.exec(value);
  if (sfBinary) return parseSingleCertificate(Buffer.from(sfBinary[1], 'base64'));
  const pem = pemCertificate.exec(value.includes('%') ? decodeUrl(value) : value);
  if (pem) return parseSingleCertificate(Buffer.from(pem[1].replace(/\s+/g, ''), 'base64'));
  return undefined;
}

function decodeUrl(value: string): string {
  try {
    return decodeURIComponent(value).trim();
  } catch {
    return '';
  }
}

/** `X509Certificate` reads the first certificate and ignores what follows, so the bytes must match. */
function parseSingleCertificate(der: Buffer): string | undefined {
  try {
    const certificate = new X509Certificate(der);
    return certificate.raw.equals(der) ? certificate.toString() : undefined;
  } catch {
    return undefined;
  }
}
