import type { Middleware } from 'koa';

import { readConsentIdParam } from './consent-id-param.ts';
import { revokedNoticePath } from './dashboard-paths.ts';
import { stopSharing } from './dashboard.service.ts';
import type { DashboardDependencies } from './dashboard.deps.ts';
import { renderAppNotFound } from './render-app-not-found.ts';

/**
 * `POST /connected-apps/:ConsentId/revoke` (CSRF already checked): the consent becomes `Revoked`
 * with its grant, refresh and access tokens, then 303 to the list, which says so. A ConsentId
 * that is not a connected app of this customer gets the 404 page and changes nothing.
 */
export function submitRevoke(deps: DashboardDependencies): Middleware {
  const { revokeGrant } = deps;
  return async function submitRevoke(ctx) {
    const customerId = ctx.state.dashboardSession!.customerId!;
    const consentId = readConsentIdParam(ctx.params['ConsentId']);
    if (!consentId || !(await stopSharing(deps, revokeGrant, customerId, consentId))) {
      deps.logger.info({ customerId, path: ctx.path }, 'dashboard.revoke_not_found');
      return renderAppNotFound(ctx);
    }
    deps.logger.info({ customerId, consentId }, 'dashboard.consent_revoked');
    ctx.redirect(revokedNoticePath(consentId));
    ctx.status = 303;
  };
}
