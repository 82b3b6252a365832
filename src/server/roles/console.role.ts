import { adminApi } from '../../admin/admin-api.ts';
import { consoleRoutes } from '../../admin/console/console.routes.ts';
import { consoleSsoFor } from '../../admin/console/sign-in/sso.pages.ts';
import { TOTP_SEAL_PURPOSE } from '../../admin/operators/operator-totp-seal.ts';
import { configuredPaymentProvider } from '../../billing/configured-payment-provider.ts';
import { deriveKey } from '../../config/derive-key.ts';
import { problemTypeBase } from '../error-family.ts';
import type { Role } from './role.ts';

/**
 * The `console` role: the admin API on the admin listener (localhost by default), authenticated
 * with the admin token; and the ops console's pages on the browser listener, under `/console` only
 * (every path there is the console's, unknown ones its 404 page), for operators signed in with a
 * password and a TOTP code, or with the organisation's OpenID Connect provider where it is set up.
 */
export const consoleRole: Role = async (context) => {
  const { config, secrets, logger, db, events, clock, audit } = context;
  const paymentProvider = configuredPaymentProvider(config.billing);
  // The overview shows the breakers of the gateway beside it in this process, if there is one.
  const breakers = context.gateway ? { breakers: context.gateway.metrics.breakerStates } : {};
  const sso = config.consoleSso ? { sso: consoleSsoFor(config.consoleSso, config.issuer) } : {};
  return {
    browser: [consoleRoutes({
      db, events, clock, logger, audit, loginThrottle: context.loginThrottle, csrfSecret: context.csrfSecret, totpSealKey: deriveKey(secrets, TOTP_SEAL_PURPOSE), paymentProvider,
      revokeGrant: context.revokeGrant, ...breakers, ...sso,
    })],
    admin: [adminApi({
      catalogue: { db, events, clock, actor: 'ops' },
      adminToken: secrets.adminToken,
      problemTypeBase: problemTypeBase(config.issuer),
      logger,
      audit,
      paymentProvider,
      revokeGrant: context.revokeGrant,
      ...breakers,
    })],
  };
};
