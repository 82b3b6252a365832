import type { Middleware } from 'koa';

import { portalApisCache, type PortalApisCache } from '../../portal/portal-apis-cache.ts';
import { createAccountMailThrottle } from '../../portal/accounts/account-mail-throttle.ts';
import type { Mailer } from '../../portal/mail/mailer.ts';
import { outboxMailer } from '../../portal/mail/outbox.store.ts';
import { portalRoutes } from '../../portal/portal.routes.ts';
import { registrationEndpoint } from '../../portal/openbanking/registration-endpoint.ts';
import { deriveKey } from '../../config/derive-key.ts';
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

// Said once per server, not at each key rotation's rebuild of the role.
const warnedOfNoMail = new WeakSet<ServerContext>();

/**
 * Where the account pages' mail goes: the SMTP server when `SMTP_URL` is set, the development
 * outbox otherwise. Production has no outbox: its account pages wait for `SMTP_URL`.
 */
function accountMailOf(context: ServerContext): { mailer: Mailer; outbox: boolean } | undefined {
  if (context.smtp) return { mailer: context.smtp, outbox: false };
  if (context.config.env !== 'production') return { mailer: outboxMailer(context.db, context.clock), outbox: true };
  if (!warnedOfNoMail.has(context)) {
    warnedOfNoMail.add(context);
    context.logger.warn('PORTAL ACCOUNT PAGES ARE OFF: sign-up, sign-in and password reset need mail; set SMTP_URL to serve them.');
  }
  return undefined;
}

/**
 * The `portal` role: the developer portal's pages at `/` on the browser listener, where developers
 * find the APIs the gateway serves.
 */
export const portalRole: Role = async (context) => {
  const { config, db, logger, bank, clock, events } = context;
  const mail = accountMailOf(context);
  const accounts = mail && {
    db, clock, events, ...mail, portalUrl: config.issuer, csrfSecret: context.csrfSecret, loginThrottle: context.loginThrottle,
    throttle: createAccountMailThrottle(db, { perNetworkPerHour: config.portalSignUpsPerHour, mailsPerAddressPerHour: 3 }),
  };
  return {
    browser: [portalRoutes({
      db, logger, catalog: catalogOf(context), accounts, issuer: config.issuer, onboardingUrl: bank.onboardingUrl, problemTypeBase: problemTypeBase(config.issuer), consoleOffered: config.roles.includes('console'),
      baseUrls: { mtls: config.mtlsBaseUrl, gateway: config.gatewayBaseUrl }, serverCertificatePem: context.pki.server.certificatePem,
      openBanking: bank.directoryOnboarding && { directory: bank.directoryOnboarding, registration: registrationEndpoint(config), sealKey: deriveKey(context.secrets, 'portcullis portal registrations') },
    }).routes() as Middleware],
  };
};
