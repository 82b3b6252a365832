import type { Middleware } from 'koa';

import { portalApisCache, type PortalApisCache } from '../../portal/portal-apis-cache.ts';
import { createAccountMailThrottle } from '../../portal/accounts/account-mail-throttle.ts';
import { outboxMailer } from '../../portal/mail/outbox.store.ts';
import { portalRoutes } from '../../portal/portal.routes.ts';
import { problemTypeBase } from '../error-family.ts';
import type { ServerContext } from '../server-context.ts';
import type { Role } from './role.ts';

// One per server, not one per generation of the authorization server (the role is rebuilt at each
// key rotation): its listeners stay on the bus for the server's life.
const caches = new WeakMap<ServerContext, PortalApisCache>();

function catalogOf(context: ServerContext): PortalApisCache {
  let cache = caches.get(context);
  if (!cache) caches.set(context, cache = portalApisCache(context.db, context.events, context.clock));
  return cache;
}

/**
 * The `portal` role: the developer portal's pages at `/` on the browser listener, where developers
 * find the APIs the gateway serves.
 */
export const portalRole: Role = async (context) => {
  const { config, db, logger, bank, clock, events } = context;
  // Mail goes to the development outbox; in production the account pages wait for a mail server.
  const accounts = config.env === 'production' ? undefined : {
    db, clock, events, mailer: outboxMailer(db, clock), portalUrl: config.issuer, csrfSecret: context.csrfSecret, outbox: true, loginThrottle: context.loginThrottle,
    throttle: createAccountMailThrottle(db, { perNetworkPerHour: config.portalSignUpsPerHour, mailsPerAddressPerHour: 3 }),
  };
  return {
    browser: [portalRoutes({
      db, logger, catalog: catalogOf(context), accounts, issuer: config.issuer, onboardingUrl: bank.onboardingUrl, problemTypeBase: problemTypeBase(config.issuer),
      baseUrls: { mtls: config.mtlsBaseUrl, gateway: config.gatewayBaseUrl },
    }).routes() as Middleware],
  };
};
