import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

import type { KoaContextWithOIDC } from 'oidc-provider';

import { readForwardedCertificate } from '../../pki/read-forwarded-certificate.ts';
import { verifyCertificateChain } from '../../pki/verify-certificate-chain.ts';
import type { TrustedProxies } from '../../shared/trusted-proxies.ts';
import { subjectMatches } from './distinguished-name.ts';

export interface ClientCertificateOptions {
  /** Peers whose client-certificate header is believed. */
  trustedProxies: TrustedProxies;
  /** Header a TLS-terminating proxy puts the certificate in; absent means TLS only. */
  header: string | undefined;
  /** PEM trust anchors for `tls_client_auth`. */
  trustAnchors: string[];
}

function fromTrustedProxy(ctx: KoaContextWithOIDC, options: ClientCertificateOptions): boolean {
  return options.header !== undefined && options.trustedProxies.includes(ctx.socket);
}

/*
 * The certificate a connection's client presented, as PEM, read once per connection: a partner
 * sends many requests on one keep-alive connection, oidc-provider asks for the certificate on each
 * that binds a token to it or checks a bound one, and reading it (`getPeerCertificate()`, then
 * PEM) took about a quarter of the CPU of a client credentials grant. It cannot change under the
 * cache: the partner listener refuses TLS renegotiation (src/server/start.ts), TLS 1.3 has none,
 * and the browser listener never asks for a certificate, so its connections have none before or
 * after. Weak keys: an entry goes with its socket.
 */
const peerCertificates = new WeakMap<TLSSocket, string | undefined>();

function peerCertificatePem(socket: TLSSocket): string | undefined {
  if (peerCertificates.has(socket)) return peerCertificates.get(socket);
  const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  const pem = peer?.raw ? new X509Certificate(peer.raw).toString() : undefined;
  peerCertificates.set(socket, pem);
  return pem;
}

/**
 * Wires oidc-provider's `features.mTLS` hooks (RFC 8705) to where the certificate really is: the
 * TLS session of the mutual-TLS listener, or, only for requests from a trusted proxy, the header
 * that proxy sets. A header from anyone else is never read (and is stripped before routing).
 */
export function clientCertificateHooks(options: ClientCertificateOptions) {
  function getCertificate(ctx: KoaContextWithOIDC): string | undefined {
    if (fromTrustedProxy(ctx, options)) {
      const value = ctx.get(options.header!);
      return value ? readForwardedCertificate(value) : undefined;
    }
    return peerCertificatePem(ctx.socket as TLSSocket);
  }

  /** §2.1: the PKI method needs a chain to a configured trust anchor. */
  function certificateAuthorized(ctx: KoaContextWithOIDC): boolean {
    if (!fromTrustedProxy(ctx, options)) return (ctx.socket as TLSSocket).authorized === true;
    const pem = getCertificate(ctx);
    return pem !== undefined && verifyCertificateChain(pem, options.trustAnchors);
  }

  function certificateSubjectMatches(ctx: KoaContextWithOIDC, property: string, expected: string): boolean {
    const pem = getCertificate(ctx);
    if (!pem) return false;
    const certificate = new X509Certificate(pem);
    if (property === 'tls_client_auth_subject_dn') return subjectMatches(certificate.subject, expected);
    const prefix = { tls_client_auth_san_dns: 'DNS:', tls_client_auth_san_uri: 'URI:', tls_client_auth_san_ip: 'IP Address:', tls_client_auth_san_email: 'email:' }[property];
    if (!prefix || !certificate.subjectAltName) return false;
    return certificate.subjectAltName.split(', ').some((entry) => entry === `${prefix}${expected}`);
  }

  return { getCertificate, certificateAuthorized, certificateSubjectMatches };
}
