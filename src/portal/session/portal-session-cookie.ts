import type { Context, Middleware } from 'koa';

import { resumePortalSession, type PortalSessionsDependencies, type SignedInDeveloper, type StartedSession } from './portal-sessions.service.ts';

declare module 'koa' {
  interface DefaultState {
    /** On portal pages: the developer signed in, or null when nobody is (undefined: the portal has no accounts). */
    developer?: SignedInDeveloper | null;
  }
}

// `__Host-`: Secure, Path=/, no Domain, so no sibling subdomain can set or shadow it; SameSite=Strict
// keeps it off every request another site starts.
const COOKIE = '__Host-portcullis-portal-session';
const ATTRIBUTES = { secure: true, httpOnly: true, sameSite: 'strict', path: '/', signed: false, overwrite: true } as const;

export function writePortalSessionCookie(ctx: Context, session: StartedSession): void {
  ctx.cookies.set(COOKIE, session.token, { ...ATTRIBUTES, expires: session.expiresAt });
}

export function clearPortalSessionCookie(ctx: Context): void {
  ctx.cookies.set(COOKIE, '', ATTRIBUTES);
}

export const portalSessionToken = (ctx: Context) => ctx.cookies.get(COOKIE, { signed: false });

/** Puts the developer of a live session in `ctx.state.developer`; null without one (signed out). */
export function loadPortalSession(deps: PortalSessionsDependencies): Middleware {
  return async function loadPortalSession(ctx, next) {
    const token = portalSessionToken(ctx);
    const resumed = await resumePortalSession(deps, token);
    ctx.state.developer = null;
    if (resumed) {
      ctx.state.developer = resumed.developer;
      if (resumed.extendedTo) writePortalSessionCookie(ctx, { token: token!, expiresAt: resumed.extendedTo });
    }
    await next();
  };
}

/** Where a page that needs a developer sends a signed-out visitor: sign in, then back here. */
export function signInPathFor(path: string): string {
  return `/account/sign-in?next=${encodeURIComponent(path)}`;
}

/**
 * A signed-out visitor is sent to sign in (303), and back to this page after; a form posted from a
 * session that has ended goes to sign in alone (the form's address is no page to come back to).
 */
export const requireDeveloper: Middleware = async function requireDeveloper(ctx, next) {
  if (!ctx.state.developer) {
    ctx.status = 303;
    ctx.redirect(ctx.method === 'GET' ? signInPathFor(ctx.originalUrl) : '/account/sign-in');
    return;
  }
  await next();
};
