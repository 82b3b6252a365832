import forge from 'node-forge';

const { asn1 } = forge;

/** What a certificate is for; each profile fixes its key usages. */
export type CertificateProfile = 'ca' | 'server' | 'client';

/** The facts the extensions are derived from. */
export interface ExtensionInputs {
  profile: CertificateProfile;
  subjectKeyIdentifier: Buffer;
  authorityKeyIdentifier: Buffer;
  /** `rsa` or `ec`: keyEncipherment only makes sense for RSA keys (RFC 5480 §3). */
  subjectKeyType: string;
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
}

/**
 * The `[3] Extensions` of a TBSCertificate for one profile:
 * - `ca`: basicConstraints cA (critical, RFC 5280 §4.2.1.9), keyCertSign and cRLSign;
 * - `server`: serverAuth, digitalSignature (plus keyEncipherment for RSA key transport);
 * - `client`: clientAuth and digitalSignature, what RFC 8705 `tls_client_auth` presents.
 * Every certificate names its own key and its issuer's (RFC 5280 §4.2.1.1, §4.2.1.2) and lists
 * any DNS names and IP addresses as subjectAltName.
 */
export function encodeCertificateExtensions(inputs: ExtensionInputs): forge.asn1.Asn1 {
  const { profile, dnsNames, ipAddresses } = inputs;
  const extensions: object[] = [
    { name: 'basicConstraints', critical: true, cA: profile === 'ca' },
    { name: 'keyUsage', critical: true, ...keyUsages(profile, inputs.subjectKeyType) },
    {
      name: 'subjectKeyIdentifier',
      value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, inputs.subjectKeyIdentifier.toString('binary')),
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: inputs.authorityKeyIdentifier.toString('binary') },
  ];
  if (profile === 'server') extensions.push({ name: 'extKeyUsage', serverAuth: true });
  if (profile === 'client') extensions.push({ name: 'extKeyUsage', clientAuth: true });
  if (dnsNames.length > 0 || ipAddresses.length > 0) {
    extensions.push({
      name: 'subjectAltName',
      altNames: [...dnsNames.map((value) => ({ type: 2, value })), ...ipAddresses.map((ip) => ({ type: 7, ip }))],
    });
  }

  // forge turns these friendly fields into DER values (key usage bits, IP address bytes), but
  // only through a certificate object, so one serves as the encoder.
  const encoder = forge.pki.createCertificate();
  encoder.setExtensions(extensions);
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, encoder.extensions.map(encodeExtension)),
  ]);
}

function keyUsages(profile: CertificateProfile, subjectKeyType: string): Record<string, boolean> {
  if (profile === 'ca') return { keyCertSign: true, cRLSign: true };
  if (profile === 'server' && subjectKeyType === 'rsa') return { digitalSignature: true, keyEncipherment: true };
  return { digitalSignature: true };
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
function encodeExtension(extension: { id: string; critical?: boolean; value: forge.asn1.Asn1 }): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(extension.id).getBytes()),
    ...(extension.critical ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, '\xff')] : []),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(extension.value).getBytes()),
  ]);
}
