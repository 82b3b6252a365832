import type { Middleware } from 'koa';

import { renderView } from '../../shared/render-view.ts';
import { dashboardCsrfToken } from './check-dashboard-csrf.ts';
import { readConsentIdParam } from './consent-id-param.ts';
import { findConnectedApp, listConnectedApps } from './dashboard.service.ts';
import type { DashboardDependencies } from './dashboard.deps.ts';

/**
 * `GET /connected-apps`: the signed-in customer's connected apps. After a revocation
 * (`?revoked=<ConsentId>`) it names the app in a notice, but only for a consent of this customer
 * that is revoked: the parameter cannot make the page say anything else.
 */
export function showConnectedApps(deps: DashboardDependencies): Middleware {
  return async function showConnectedApps(ctx) {
    const session = ctx.state.dashboardSession!;
    const customerId = session.customerId!;
    const revokedId = readConsentIdParam(ctx.query['revoked']);
    const [apps, revoked] = await Promise.all([
      listConnectedApps(deps, customerId),
      revokedId ? findConnectedApp(deps, customerId, revokedId, 'Revoked') : undefined,
    ]);
    ctx.type = 'html';
    ctx.body = await renderView('consent/connected-apps', { apps, revokedApp: revoked?.name, csrf: dashboardCsrfToken(deps.csrfSecret, session) });
  };
}
