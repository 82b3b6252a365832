import type { Context, Middleware } from 'koa';

import { renderView } from '../../shared/render-view.ts';
import { dashboardCsrfToken } from './check-dashboard-csrf.ts';
import { DASHBOARD_HOME } from './dashboard-paths.ts';
import { epochSeconds } from '../../shared/clock.ts';
import { newSession, type DashboardSession } from './dashboard-session.ts';
import type { DashboardDependencies } from './dashboard.deps.ts';
import { writeSessionCookie } from './session-cookie.ts';

/** Renders the sign-in form for `session`, with an error (wrong credentials) or a notice (signed out). */
export async function renderSignIn(ctx: Context, csrfSecret: Buffer, session: DashboardSession, page: { error?: string; notice?: string; username?: string } = {}): Promise<void> {
  ctx.type = 'html';
  ctx.body = await renderView('consent/sign-in', {
    csrf: dashboardCsrfToken(csrfSecret, session),
    error: page.error,
    notice: page.notice,
    username: page.username ?? '',
  });
}

/**
 * `GET /connected-apps/sign-in`. A signed-in customer goes straight to the list; anyone else gets
 * the form, and an anonymous session that its CSRF token is bound to.
 */
export function showSignIn(deps: Pick<DashboardDependencies, 'sessionSecret' | 'csrfSecret' | 'consents'>): Middleware {
  return async function showSignIn(ctx) {
    if (ctx.state.dashboardSession?.customerId) {
      ctx.redirect(DASHBOARD_HOME);
      ctx.status = 303;
      return;
    }
    const session = ctx.state.dashboardSession ?? newSession(undefined, epochSeconds(deps.consents.clock));
    writeSessionCookie(ctx, deps.sessionSecret, session);
    await renderSignIn(ctx, deps.csrfSecret, session, { notice: ctx.query['signed-out'] === undefined ? undefined : 'You have signed out.' });
  };
}
