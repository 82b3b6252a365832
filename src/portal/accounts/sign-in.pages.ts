import type { Middleware } from 'koa';

import { readForm } from '../../shared/read-form.ts';
import { renderPortalPage } from '../render-portal-page.ts';
import { clearSessionCookie, replaceSessionCookie, sessionToken } from '../../shared/sessions/session-cookie.ts';
import { endSession } from '../../shared/sessions/sessions.service.ts';
import { PORTAL_SESSIONS } from '../session/portal-sessions.ts';
import type { AccountPagesDependencies } from './account-pages.deps.ts';
import { SIGN_IN_FORM } from './account-forms.ts';
import { portalFormToken } from './portal-form-csrf.ts';
import { signInDeveloper } from './sign-in.service.ts';
import { pageNotice } from '../../shared/page-notice.ts';

/** Where a developer lands after signing in when no page asked for it. */
export const PORTAL_HOME_SIGNED_IN = '/account';

const NOTICES: Readonly<Record<string, string>> = {
  'signed-out': 'You have signed out.',
  reset: 'Your password has been changed. Sign in with the new one.',
};

/**
 * A page of ours to return to after signing in, or the default: only a path on this origin, so the
 * sign-in form cannot be used to send anyone to another site (`//host` and `/\host` are other sites
 * to a browser).
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 500 || !/^\/(?![/\\])[\x21-\x7e]*$/.test(next)) return PORTAL_HOME_SIGNED_IN;
  return next;
}

async function renderSignIn(ctx: Parameters<Middleware>[0], deps: AccountPagesDependencies, view: { next: string; email?: string; message?: string; errors?: Array<{ field: string; message: string }>; notice?: string }) {
  await renderPortalPage(ctx, 'portal/account/sign-in', {
    section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), next: view.next, values: { email: view.email ?? '' },
    message: view.message, errors: view.errors ?? [], notice: view.notice, hasError: Boolean(view.message || view.errors?.length),
  });
}

/** `GET /account/sign-in[?next=][&signed-out|&reset]`: the form (or, when signed in already, where it leads). */
export function showSignIn(deps: AccountPagesDependencies): Middleware {
  return async function showSignIn(ctx) {
    const next = safeNextPath(ctx.query['next']);
    if (ctx.state.developer) {
      ctx.status = 303;
      ctx.redirect(next);
      return;
    }
    const notice = pageNotice(ctx, NOTICES);
    await renderSignIn(ctx, deps, { next, notice });
  };
}

/** `POST /account/sign-in`: a new session and on to the page asked for; or the form again, 400, 401 or 429. */
export function submitSignIn(deps: AccountPagesDependencies): Middleware {
  return async function submitSignIn(ctx) {
    const form = ctx.state.form!;
    const next = safeNextPath(form['next']);
    const read = readForm(SIGN_IN_FORM, form);
    if (!read.ok) {
      ctx.status = 400;
      return renderSignIn(ctx, deps, { next, email: form['email'], errors: read.errors });
    }
    const result = await signInDeveloper(deps, { ...read.value, ip: ctx.ip });
    if ('refused' in result) {
      ctx.status = result.refused === 'throttled' ? 429 : result.refused === 'unverified' ? 403 : 401;
      if (result.refused === 'throttled') ctx.set('Retry-After', String(result.retryAfterSeconds));
      return renderSignIn(ctx, deps, { next, email: read.value.email, message: result.message });
    }
    await replaceSessionCookie(ctx, deps, PORTAL_SESSIONS, result.signedIn);
    ctx.status = 303;
    ctx.redirect(next);
  };
}

/** `POST /account/sign-out`: ends the session in the store, not only in this browser. */
export function submitSignOut(deps: AccountPagesDependencies): Middleware {
  return async function submitSignOut(ctx) {
    await endSession(deps, PORTAL_SESSIONS, sessionToken(ctx, PORTAL_SESSIONS));
    clearSessionCookie(ctx, PORTAL_SESSIONS);
    ctx.status = 303;
    ctx.redirect('/account/sign-in?signed-out');
  };
}
