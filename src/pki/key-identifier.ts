import { createHash, type KeyObject } from 'node:crypto';

/**
 * Key identifier by RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's
 * bytes. OpenSSL derives the same value, so the authority key identifier this module writes for
 * a certificate matches the subject key identifier of the CA that signed it, which is what
 * `X509Certificate.checkIssued` compares. SHA-1 is safe here: it names a key, it proves nothing.
 *
 * @throws {TypeError} for key types other than RSA and EC, which this module does not issue for.
 */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(subjectPublicKeyBytes(publicKey)).digest();
}

function subjectPublicKeyBytes(publicKey: KeyObject): Buffer {
  switch (publicKey.asymmetricKeyType) {
    case 'rsa':
      // RFC 3279 §2.3.1: the BIT STRING holds the PKCS #1 RSAPublicKey.
      return publicKey.export({ type: 'pkcs1', format: 'der' });
    case 'ec': {
      // RFC 5480 §2.2: the BIT STRING holds the uncompressed point, 0x04 || X || Y.
      const { x, y } = publicKey.export({ format: 'jwk' });
      return Buffer.concat([Buffer.of(0x04), Buffer.from(x ?? '', 'base64url'), Buffer.from(y ?? '', 'base64url')]);
    }
    default:
      throw new TypeError(`unsupported key type for a certificate: ${publicKey.asymmetricKeyType}`);
  }
}
