import { X509Certificate } from 'node:crypto';

/** id-kp-clientAuth (RFC 5280 §4.2.1.12). */
const clientAuth = '1.3.6.1.5.5.7.3.2';

/**
 * Whether a client certificate chains to one of the trust anchors, for RFC 8705 §2.1
 * `tls_client_auth` when TLS ends at a proxy and the certificate arrives in a header. It checks
 * what a TLS stack would: every signature up to an anchor, every certificate's validity at `now`,
 * that each issuer (intermediate or anchor) is a CA, and that a leaf restricted by extended key
 * usage may authenticate clients. It does not check revocation.
 *
 * Never throws: a certificate that does not parse is simply not trusted.
 *
 * @param leafPem the client's certificate.
 * @param trustAnchorsPem CA certificates trusted as path ends; they need not be self-signed.
 * @param intermediatesPem CA certificates that may sit between the leaf and an anchor.
 * @param now the moment of validation; tests freeze it.
 *
 * @example
 * const trusted = verifyCertificateChain(clientPem, splitPemBundle(readFileSync(clientCaFile, 'utf8')));
 */
export function verifyCertificateChain(
  leafPem: string,
  trustAnchorsPem: string[],
  intermediatesPem: string[] = [],
  now: Date = new Date(),
): boolean {
  try {
    const leaf = new X509Certificate(leafPem);
    const anchors = trustAnchorsPem.map((pem) => new X509Certificate(pem));
    const intermediates = intermediatesPem.map((pem) => new X509Certificate(pem));
    // Node names the extended key usages `keyUsage`; it is undefined when the extension is absent.
    const extendedKeyUsage = leaf.keyUsage as string[] | undefined;
    if (extendedKeyUsage && !extendedKeyUsage.includes(clientAuth)) return false;
    return isCurrent(leaf, now) && chainsToAnchor(leaf, anchors, intermediates, now);
  } catch {
    return false;
  }
}

/**
 * Depth-first, so that a cross-signed intermediate that leads nowhere does not hide one that
 * does; an intermediate is used at most once per path, which also ends any loop.
 */
function chainsToAnchor(certificate: X509Certificate, anchors: X509Certificate[], intermediates: X509Certificate[], now: Date): boolean {
  if (anchors.some((anchor) => issuedBy(certificate, anchor, now))) return true;
  return intermediates.some((intermediate, index) =>
    issuedBy(certificate, intermediate, now)
    && chainsToAnchor(intermediate, anchors, intermediates.toSpliced(index, 1), now));
}

/** `checkIssued` matches names, key identifiers and keyCertSign; `verify` checks the signature. */
function issuedBy(certificate: X509Certificate, issuer: X509Certificate, now: Date): boolean {
  return issuer.ca && isCurrent(issuer, now) && certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

function isCurrent(certificate: X509Certificate, now: Date): boolean {
  return certificate.validFromDate <= now && now <= certificate.validToDate;
}
