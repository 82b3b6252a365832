import type { Middleware } from 'koa';

import { csrfTokenFor, csrfTokenMatches } from '../../shared/csrf-token.ts';
import type { DashboardSession } from './dashboard-session.ts';

// The prefix keeps a dashboard token from ever equalling an interaction's (uids have no colon).
const bindingOf = (session: DashboardSession) => `dashboard:${session.id}`;

/** The CSRF token of the forms rendered for this session; a new sign-in makes a new one. */
export function dashboardCsrfToken(secret: Buffer, session: DashboardSession): string {
  return csrfTokenFor(secret, bindingOf(session));
}

/**
 * Refuses a POST (403) unless its `csrf` field is the token of the browser's session, before any
 * other step runs. Without a session cookie (SameSite=Strict keeps it off cross-site requests)
 * there is no token that matches.
 */
export function checkDashboardCsrf(secret: Buffer): Middleware {
  return async function checkDashboardCsrf(ctx, next) {
    const session = ctx.state.dashboardSession;
    if (!session || !csrfTokenMatches(secret, bindingOf(session), ctx.state.form?.['csrf'])) {
      ctx.throw(403, 'This page has expired. Go back to Connected apps and try again.');
    }
    await next();
  };
}
