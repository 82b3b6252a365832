import Koa, { type Middleware } from 'koa';
import type { Knex } from 'knex';
import type Provider from 'oidc-provider';

import { healthRoutes } from '../observability/health.routes.ts';
import { fapiInteractionId } from '../shared/fapi-interaction-id.ts';
import { securityHeaders } from '../shared/security-headers.ts';
import { pinPublicOrigin } from '../shared/pin-public-origin.ts';
import { stripUntrustedForwarding } from '../shared/strip-untrusted-forwarding.ts';
import { delegateToProvider } from './delegate-to-provider.ts';
import { postOnlyEndpoints } from './post-only-endpoints.ts';
import { partnerEndpointsOnly } from './partner-endpoints-only.ts';

export interface PartnerAppDependencies {
  provider: Provider;
  db: Knex;
  /** The listener's configured public base URL (the issuer, or the mutual-TLS base URL): the only origin its URLs name. */
  publicUrl: string;
  trustedProxies: ReadonlySet<string>;
  clientCertHeader: string | undefined;
  /** Verifies software statements in front of the registration endpoint. */
  registration: Middleware;
  /** Refuses a DPoP proof without a current nonce before the client's assertion is spent. */
  dpopNonceFirst: Middleware;
  /** The Open Banking consent API (`/open-banking/...`). */
  consentApi: Middleware;
}

/** The partner-facing mutual-TLS listener: token, PAR, registration, introspection, revocation, consents. */
export function partnerApp(deps: PartnerAppDependencies): Koa {
  const app = new Koa();
  app.proxy = deps.trustedProxies.size > 0;
  // The address our trusted proxy appended, not whatever the client put in front of it.
  app.maxIpsCount = 1;
  app.silent = true;
  app.use(stripUntrustedForwarding(deps.trustedProxies, deps.clientCertHeader));
  app.use(pinPublicOrigin(deps.publicUrl));
  app.use(fapiInteractionId);
  app.use(securityHeaders);
  app.use(healthRoutes(deps.db).routes());
  app.use(deps.consentApi);
  app.use(partnerEndpointsOnly);
  app.use(deps.registration);
  app.use(postOnlyEndpoints);
  app.use(deps.dpopNonceFirst);
  app.use(delegateToProvider(deps.provider));
  return app;
}
