import type { Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';

import type { ClientCertificateSightings } from './client-certificate-sightings.ts';

/*
 * The endpoints where a client authenticates (or registers) over mutual TLS, by oidc-provider's
 * route names: token, PAR, registration (RFC 7591) and registration management (RFC 7592) reads
 * and updates. A deletion is left out: the client and its certificates go with it.
 */
const RECORDED_ROUTES: ReadonlySet<string> = new Set(['token', 'pushed_authorization_request', 'registration', 'client', 'client_update']);

/**
 * Registered with `provider.use()`: once one of those endpoints has answered with success, notes
 * the client certificate the request came with (the handshake's, or a trusted proxy's header) for
 * the client it authenticated or registered. Only a success counts: a certificate a refused
 * request presented proves nothing about the client it named.
 */
export function recordClientCertificates(getCertificate: (ctx: KoaContextWithOIDC) => string | undefined, sightings: ClientCertificateSightings): Middleware {
  return async function recordClientCertificates(ctx, next) {
    await next();
    const { oidc } = ctx as KoaContextWithOIDC;
    if (!oidc?.route || !RECORDED_ROUTES.has(oidc.route) || ctx.status >= 400 || !oidc.client) return;
    const certificatePem = getCertificate(ctx as KoaContextWithOIDC);
    if (certificatePem) sightings.sight(oidc.client.clientId, certificatePem);
  };
}
