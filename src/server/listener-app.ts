import Koa, { type Middleware } from 'koa';
import type { Knex } from 'knex';

import type { Logger } from '../observability/logger.ts';

import { healthRoutes } from '../observability/health.routes.ts';
import { takeInteractionId } from '../shared/fapi-interaction-id.ts';
import { pinPublicOrigin } from '../shared/pin-public-origin.ts';
import { SECURITY_HEADERS } from '../shared/security-headers.ts';
import { setHeaders } from '../shared/set-headers.ts';
import { serveStaticAssets } from '../shared/serve-static-assets.ts';
import { stripUntrustedForwarding } from '../shared/strip-untrusted-forwarding.ts';
import type { TrustedProxies } from '../shared/trusted-proxies.ts';
import type { ErrorFamilyOf } from './error-family.ts';
import { missingHostRefusal } from './missing-host-refusal.ts';
import { rejectMalformedInput } from './reject-malformed-input.ts';
import { sendRefusal } from './send-refusal.ts';

export interface ListenerAppOptions {
  /** The listener's configured public base URL (the issuer, or the mutual-TLS base URL): the only origin its URLs name. */
  publicUrl: string;
  trustedProxies: TrustedProxies;
  clientCertHeader: string | undefined;
  /** For `/readyz`. */
  db: Knex;
  /** For `/readyz`: whether the process is stopping. */
  isDraining: () => boolean;
  /** Serves pages to people: the stylesheet is served too. */
  pages: boolean;
  /** The error format of a path, for requests refused before any route sees them. */
  errorFamily: ErrorFamilyOf;
  /**
   * Refuses, at the edge, input our endpoints could not store (`rejectMalformedInput`), reading
   * bodies whole to look. Off for the gateway's public listener: what it forwards is the
   * upstream's to judge, and its bodies stream.
   */
  inspectInput: boolean;
  logger: Logger;
  /** The roles' routes on this listener, in order; what none of them answers is 404. */
  routes: readonly Middleware[];
}

/**
 * What every request gets first, in this order, as one step (it runs for every request, so as one
 * function rather than five middlewares): forwarding headers believed from trusted proxies only,
 * the FAPI interaction id, security headers, a Host required (RFC 9112 §3.2 asks whether the
 * client sent one before configuration replaces it), then URLs pinned to configuration.
 */
function listenerEdge(options: ListenerAppOptions): Middleware {
  const stripForwarding = stripUntrustedForwarding(options.trustedProxies, options.clientCertHeader);
  const pinOrigin = pinPublicOrigin(options.publicUrl);
  return function listenerEdge(ctx, next) {
    stripForwarding(ctx);
    takeInteractionId(ctx);
    setHeaders(ctx, SECURITY_HEADERS);
    const refusal = missingHostRefusal(ctx);
    if (refusal) return sendRefusal(ctx, options.errorFamily(ctx.path), refusal, options.logger);
    pinOrigin(ctx);
    return next();
  };
}

/**
 * One listener's Koa app: what every request gets whatever role answers it (`listenerEdge`, input
 * every endpoint can store, health), then the roles' routes.
 */
export function listenerApp(options: ListenerAppOptions): Koa {
  const app = new Koa();
  app.proxy = options.trustedProxies.any;
  // The address our trusted proxy appended, not whatever the client put in front of it.
  app.maxIpsCount = 1;
  app.silent = true;
  app.use(listenerEdge(options));
  if (options.inspectInput) app.use(rejectMalformedInput(options.errorFamily, options.logger));
  if (options.pages) app.use(serveStaticAssets);
  app.use(healthRoutes(options.db, options.isDraining));
  for (const routes of options.routes) app.use(routes);
  return app;
}
