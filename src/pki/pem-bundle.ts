const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Splits a file of concatenated PEM certificates, such as a trust anchor bundle, into one PEM per
 * certificate, in file order. Text between blocks (the `subject=` lines OpenSSL writes) and
 * blocks of other types (keys, CRLs) are skipped; the blocks are not parsed, so a caller that
 * trusts them should still load each one with `X509Certificate`.
 *
 * @example
 * const anchors = splitPemBundle(readFileSync(clientCaFile, 'utf8'));
 */
export function splitPemBundle(text: string): string[] {
  return Array.from(text.matchAll(certificateBlock), ([block]) => `${block.replace(/\r\n/g, '\n')}\n`);
}
