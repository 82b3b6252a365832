import Koa, { type Middleware } from 'koa';
import type { Knex } from 'knex';
import type Provider from 'oidc-provider';

import { healthRoutes } from '../observability/health.routes.ts';
import type { Logger } from '../observability/logger.ts';
import { fapiInteractionId } from '../shared/fapi-interaction-id.ts';
import { securityHeaders } from '../shared/security-headers.ts';
import { stripUntrustedForwarding } from '../shared/strip-untrusted-forwarding.ts';
import { delegateToProvider } from './delegate-to-provider.ts';
import { partnerErrorFamily } from './error-family.ts';
import { partnerEndpointsOnly } from './partner-endpoints-only.ts';
import { rejectMalformedInput } from './reject-malformed-input.ts';
import { requireHostHeader } from './require-host-header.ts';

export interface PartnerAppDependencies {
  provider: Provider;
  db: Knex;
  trustedProxies: ReadonlySet<string>;
  clientCertHeader: string | undefined;
  /** Verifies software statements in front of the registration endpoint. */
  registration: Middleware;
  /** The Open Banking consent API (`/open-banking/...`). */
  consentApi: Middleware;
  logger: Logger;
}

/** The partner-facing mutual-TLS listener: token, PAR, registration, introspection, revocation, consents. */
export function partnerApp(deps: PartnerAppDependencies): Koa {
  const app = new Koa();
  app.proxy = deps.trustedProxies.size > 0;
  // The address our trusted proxy appended, not whatever the client put in front of it.
  app.maxIpsCount = 1;
  app.silent = true;
  app.use(stripUntrustedForwarding(deps.trustedProxies, deps.clientCertHeader));
  app.use(fapiInteractionId);
  app.use(securityHeaders);
  app.use(requireHostHeader(partnerErrorFamily, deps.logger));
  app.use(rejectMalformedInput(partnerErrorFamily, deps.logger));
  app.use(healthRoutes(deps.db).routes());
  app.use(deps.consentApi);
  app.use(partnerEndpointsOnly);
  app.use(deps.registration);
  app.use(delegateToProvider(deps.provider));
  return app;
}
