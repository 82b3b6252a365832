import type { Context, DefaultState, Middleware } from 'koa';

import type { SessionKind } from './session-kind.ts';
import { endSession, resumeSession, type ResumedSession, type SessionsDependencies, type StartedSession } from './sessions.service.ts';

/*
 * The session cookie of a browser part. `__Host-`: Secure, Path=/, no Domain, so no sibling
 * subdomain can set or shadow it; SameSite=Strict keeps it off every request another site starts.
 */

const ATTRIBUTES = { secure: true, httpOnly: true, sameSite: 'strict', path: '/', signed: false, overwrite: true } as const;

export function writeSessionCookie(ctx: Context, kind: SessionKind<unknown>, session: StartedSession): void {
  ctx.cookies.set(kind.cookie, session.token, { ...ATTRIBUTES, expires: session.expiresAt });
}

export function clearSessionCookie(ctx: Context, kind: SessionKind<unknown>): void {
  ctx.cookies.set(kind.cookie, '', ATTRIBUTES);
}

export const sessionToken = (ctx: Context, kind: SessionKind<unknown>) => ctx.cookies.get(kind.cookie, { signed: false });

/**
 * Ends the session the browser held and gives it `session` instead: a fresh token at every sign-in
 * step, so nothing from before (a planted cookie) becomes a signed-in session.
 */
export async function replaceSessionCookie(ctx: Context, deps: Pick<SessionsDependencies, 'db'>, kind: SessionKind<unknown>, session: StartedSession): Promise<void> {
  await endSession(deps, kind, sessionToken(ctx, kind));
  writeSessionCookie(ctx, kind, session);
}

/**
 * Resumes the session the cookie names, hands it (undefined when signed out) to `keep` to put in
 * `ctx.state`, and moves the cookie's end on when use moved the session's.
 *
 * @example
 * loadSession(deps, PORTAL_SESSIONS, (state, resumed) => { state.developer = resumed?.holder ?? null; });
 */
export function loadSession<Holder>(deps: SessionsDependencies, kind: SessionKind<Holder>, keep: (state: DefaultState, resumed: ResumedSession<Holder> | undefined) => void): Middleware {
  return async function loadSession(ctx, next) {
    const token = sessionToken(ctx, kind);
    const resumed = await resumeSession(deps, kind, token);
    keep(ctx.state, resumed);
    if (resumed?.extendedTo) writeSessionCookie(ctx, kind, { token: token!, expiresAt: resumed.extendedTo });
    await next();
  };
}
