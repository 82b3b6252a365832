import type { SecureContextOptions, TlsOptions } from 'node:tls';

/**
 * FAPI 2.0 §5.2.1: TLS 1.2 or later, and with 1.2 only the BCP 195 recommended suites (forward
 * secret AEAD). TLS 1.3 suites are all acceptable and listed so that 1.3 stays on.
 */
const CIPHERS = [
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384', 'DHE-RSA-AES128-GCM-SHA256', 'DHE-RSA-AES256-GCM-SHA384',
].join(':');

export interface ServerCredentials {
  certificatePem: string;
  privateKeyPem: string;
}

export function browserTlsOptions(credentials: ServerCredentials): TlsOptions & SecureContextOptions {
  return { cert: credentials.certificatePem, key: credentials.privateKeyPem, minVersion: 'TLSv1.2', ciphers: CIPHERS, honorCipherOrder: true };
}

/**
 * The partner listener asks for a certificate but lets the handshake finish without one, or with
 * one that chains to nothing: `self_signed_tls_client_auth` certificates are trusted per client,
 * by the provider, not by the TLS layer. `socket.authorized` still records whether it chained to
 * the trust anchors, for `tls_client_auth`.
 */
export function partnerTlsOptions(credentials: ServerCredentials, trustAnchors: string[]): TlsOptions & SecureContextOptions {
  return { ...browserTlsOptions(credentials), ca: trustAnchors, requestCert: true, rejectUnauthorized: false };
}
