import type { Middleware } from 'koa';

import { renderView } from '../../shared/render-view.ts';
import { dashboardCsrfToken } from './check-dashboard-csrf.ts';
import { readConsentIdParam } from './consent-id-param.ts';
import { findConnectedApp } from './dashboard.service.ts';
import type { DashboardDependencies } from './dashboard.deps.ts';
import { renderAppNotFound } from './render-app-not-found.ts';

/** `GET /connected-apps/:ConsentId/revoke`: asks the customer to confirm, with keeping as easy as stopping. */
export function showRevoke(deps: DashboardDependencies): Middleware {
  return async function showRevoke(ctx) {
    const session = ctx.state.dashboardSession!;
    const consentId = readConsentIdParam(ctx.params['ConsentId']);
    const app = consentId ? await findConnectedApp(deps, session.customerId!, consentId, 'Authorised') : undefined;
    if (!app) return renderAppNotFound(ctx);
    ctx.type = 'html';
    ctx.body = await renderView('consent/revoke', { app, csrf: dashboardCsrfToken(deps.csrfSecret, session) });
  };
}
