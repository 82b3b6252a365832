import type { Context, Middleware } from 'koa';

import { epochSeconds, type Clock } from '../../shared/clock.ts';
import { openSession, renewSession, sealSession, type DashboardSession } from './dashboard-session.ts';

/*
 * `__Host-` makes the browser refuse the cookie unless it is Secure, has Path=/ and no Domain, so
 * no sibling subdomain can set or shadow it. SameSite=Strict keeps it off every request another
 * site starts, the first defence against CSRF; the session-bound token is the second.
 */
const SESSION_COOKIE = '__Host-portcullis-dashboard';

const ATTRIBUTES = { secure: true, httpOnly: true, sameSite: 'strict', path: '/', signed: false, overwrite: true } as const;

/** Sets the session cookie (replacing one set earlier in this response), expiring with the session. */
export function writeSessionCookie(ctx: Context, secret: Buffer, session: DashboardSession): void {
  ctx.cookies.set(SESSION_COOKIE, sealSession(secret, session), { ...ATTRIBUTES, expires: new Date(session.expiresAt * 1000) });
}

/** Tells the browser to drop the session cookie (with the same attributes, or `__Host-` rejects it). */
export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(SESSION_COOKIE, '', ATTRIBUTES);
}

/**
 * Puts the session of a valid cookie in `ctx.state.dashboardSession` and renews its expiry; an
 * expired, altered or missing cookie leaves it empty (signed out).
 */
export function loadDashboardSession(secret: Buffer, clock: Clock): Middleware {
  return async function loadDashboardSession(ctx, next) {
    const now = epochSeconds(clock);
    const session = openSession(secret, ctx.cookies.get(SESSION_COOKIE, { signed: false }), now);
    if (session) {
      ctx.state.dashboardSession = renewSession(session, now);
      writeSessionCookie(ctx, secret, ctx.state.dashboardSession);
    }
    await next();
  };
}
