import type { Middleware } from 'koa';

import { loadSession } from '../../shared/sessions/session-cookie.ts';
import type { SessionsDependencies } from '../../shared/sessions/sessions.service.ts';
import { PORTAL_SESSIONS, type SignedInDeveloper } from './portal-sessions.ts';

declare module 'koa' {
  interface DefaultState {
    /** On portal pages: the developer signed in, or null when nobody is (undefined: the portal has no accounts). */
    developer?: SignedInDeveloper | null;
  }
}

/** Puts the developer of a live session in `ctx.state.developer`; null without one (signed out). */
export const loadPortalSession = (deps: SessionsDependencies): Middleware => loadSession(deps, PORTAL_SESSIONS, function keepDeveloper(state, resumed) {
  state.developer = resumed?.holder ?? null;
});

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
