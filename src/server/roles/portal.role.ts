import type { Middleware } from 'koa';

import { portalRoutes } from '../../portal/portal.routes.ts';
import { problemTypeBase } from '../error-family.ts';
import type { Role } from './role.ts';

/**
 * The `portal` role: the developer portal's pages at `/` on the browser listener, where developers
 * find the APIs the gateway serves.
 */
export const portalRole: Role = async (context) => {
  const { config, db, logger, bank } = context;
  return {
    browser: [portalRoutes({
      db, logger, issuer: config.issuer, onboardingUrl: bank.onboardingUrl, problemTypeBase: problemTypeBase(config.issuer),
      baseUrls: { mtls: config.mtlsBaseUrl, gateway: config.gatewayBaseUrl },
    }).routes() as Middleware],
  };
};
