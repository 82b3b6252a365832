import type { Middleware } from 'koa';

import { checkCredentials } from '../../auth/sign-in/check-credentials.ts';
import { DASHBOARD_HOME } from './dashboard-paths.ts';
import { epochSeconds } from '../../shared/clock.ts';
import { newSession } from './dashboard-session.ts';
import type { DashboardDependencies } from './dashboard.deps.ts';
import { writeSessionCookie } from './session-cookie.ts';
import { renderSignIn } from './show-sign-in.ts';

/**
 * `POST /connected-apps/sign-in`. The one place the dashboard checks credentials, through the
 * login throttle and the `Authenticator`, as the authorization login does. A miss re-renders the form with one message for
 * every cause, 401. A hit starts a new session (a new id, so new CSRF tokens: nothing from before
 * sign-in carries over) and goes to the list, never to an address the request names.
 */
export function submitSignIn(deps: Pick<DashboardDependencies, 'authenticator' | 'loginThrottle' | 'sessionSecret' | 'csrfSecret' | 'logger' | 'consents'>): Middleware {
  return async function submitSignIn(ctx) {
    const { username = '', password = '' } = ctx.state.form!;
    const check = await checkCredentials(deps.authenticator, deps.loginThrottle, { username, password, ip: ctx.ip });
    if ('refused' in check) {
      deps.logger.info({ path: ctx.path, reason: check.refused }, 'dashboard.sign_in_failed');
      if (check.refused === 'throttled') ctx.set('Retry-After', String(check.retryAfterSeconds));
      ctx.status = check.refused === 'throttled' ? 429 : 401;
      await renderSignIn(ctx, deps.csrfSecret, ctx.state.dashboardSession!, { error: check.message, username });
      return;
    }
    const { customer } = check;
    writeSessionCookie(ctx, deps.sessionSecret, newSession(customer.id, epochSeconds(deps.consents.clock)));
    deps.logger.info({ customerId: customer.id }, 'dashboard.signed_in');
    ctx.redirect(DASHBOARD_HOME);
    ctx.status = 303;
  };
}
