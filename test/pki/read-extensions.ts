import { X509Certificate } from 'node:crypto';

import forge from 'node-forge';

const { asn1 } = forge;

/** One decoded extension: whether it is critical, and its extnValue DER. */
export interface RawExtension {
  critical: boolean;
  value: Buffer;
}

/**
 * Reads a certificate's extensions with forge's ASN.1 decoder, independently of the encoder under
 * test and for any key type (forge's certificate parser only takes RSA keys).
 */
export function readExtensions(pem: string): Map<string, RawExtension> {
  const [tbs] = asn1.fromDer(new X509Certificate(pem).raw.toString('binary')).value as forge.asn1.Asn1[];
  const wrapper = (tbs.value as forge.asn1.Asn1[]).find((node) => node.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === 3);
  const [sequence] = (wrapper?.value ?? []) as forge.asn1.Asn1[];
  const extensions = new Map<string, RawExtension>();
  for (const extension of (sequence?.value ?? []) as forge.asn1.Asn1[]) {
    const fields = extension.value as forge.asn1.Asn1[];
    const id = asn1.derToOid(fields[0].value as string);
    const critical = fields.length === 3 && fields[1].value === '\xff';
    const value = Buffer.from(fields[fields.length - 1].value as string, 'binary');
    extensions.set(id, { critical, value });
  }
  return extensions;
}

const keyUsageBits = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'];

/** The names of the bits set in a keyUsage extension (RFC 5280 §4.2.1.3). */
export function keyUsageNames(extension: RawExtension): string[] {
  // BIT STRING: tag, length, unused-bit count, then the bits, most significant first.
  const firstByte = extension.value[3] ?? 0;
  return keyUsageBits.filter((_, bit) => firstByte & (0x80 >> bit));
}

export const oids = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;
