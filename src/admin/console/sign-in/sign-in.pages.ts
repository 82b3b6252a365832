import type { Context, Middleware } from 'koa';

import { readForm } from '../../../shared/read-form.ts';
import { checkOperatorCode } from '../../operators/operator-second-factor.service.ts';
import { checkOperatorPassword, signOutOperator } from '../../operators/operator-sign-in.service.ts';
import { OPERATOR_SESSIONS } from '../../operators/operator-sessions.ts';
import { clearSessionCookie, replaceSessionCookie, sessionToken } from '../../../shared/sessions/session-cookie.ts';
import type { StartedSession } from '../../../shared/sessions/sessions.service.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { CONSOLE_CODE_FORM, CONSOLE_SIGN_IN_FORM } from '../console-forms.ts';
import { safeConsolePath, withNext } from '../console-next-path.ts';
import { renderConsolePage } from '../render-console-page.ts';
import { pageNotice } from '../../../shared/page-notice.ts';

const NOTICES: Readonly<Record<string, string>> = { 'signed-out': 'You have signed out.' };

interface FormView {
  next: string;
  values?: Record<string, string>;
  message?: string;
  errors?: Array<{ field: string; message: string }>;
}

export function renderForm(ctx: Context, deps: ConsoleDependencies, view: string, page: FormView & Record<string, unknown>): Promise<void> {
  return renderConsolePage(ctx, deps.csrfSecret, view, {
    ...page, csrf: consoleFormToken(ctx, deps.csrfSecret), values: page.values ?? {}, errors: page.errors ?? [], hasError: Boolean(page.message || page.errors?.length),
    // The sign-in page offers single sign-on where it is set up.
    ssoName: deps.sso?.name,
  });
}

/** Replaces whatever session the browser held with `session` (nothing from before a step carries over), and goes on to `path`. */
export async function moveToSession(ctx: Context, deps: ConsoleDependencies, session: StartedSession, path: string): Promise<void> {
  await replaceSessionCookie(ctx, deps, OPERATOR_SESSIONS, session);
  ctx.status = 303;
  ctx.redirect(path);
}

/** `GET /console/sign-in[?next=][&signed-out]`: the password form (or, when signed in already, where it leads). */
export function showConsoleSignIn(deps: ConsoleDependencies): Middleware {
  return async function showConsoleSignIn(ctx) {
    const next = safeConsolePath(ctx.query['next']);
    if (ctx.state.secondFactor) {
      ctx.status = 303;
      ctx.redirect(next);
      return;
    }
    const notice = pageNotice(ctx, NOTICES);
    await renderForm(ctx, deps, 'sign-in', { next, notice });
  };
}

/** `POST /console/sign-in`: a password-only session and on to the code (or enrolment); or the form again, 400, 401 or 429. */
export function submitConsoleSignIn(deps: ConsoleDependencies): Middleware {
  return async function submitConsoleSignIn(ctx) {
    const form = ctx.state.form!;
    const next = safeConsolePath(form['next']);
    const read = readForm(CONSOLE_SIGN_IN_FORM, form);
    if (!read.ok) {
      ctx.status = 400;
      return renderForm(ctx, deps, 'sign-in', { next, values: { email: form['email'] ?? '' }, errors: read.errors });
    }
    const result = await checkOperatorPassword(deps, { ...read.value, ip: ctx.ip });
    if ('refused' in result) {
      ctx.status = result.refused === 'throttled' ? 429 : 401;
      if (result.refused === 'throttled') ctx.set('Retry-After', String(result.retryAfterSeconds));
      return renderForm(ctx, deps, 'sign-in', { next, values: { email: read.value.email }, message: result.message });
    }
    await moveToSession(ctx, deps, result.passed, withNext(result.enrolled ? '/console/sign-in/code' : '/console/enrol', next));
  };
}

/** `GET /console/sign-in/code`: the code form, after the password. */
export function showConsoleCode(deps: ConsoleDependencies): Middleware {
  return async function showConsoleCode(ctx) {
    await renderForm(ctx, deps, 'code', { next: safeConsolePath(ctx.query['next']) });
  };
}

/**
 * The second step's form posted (`view`: the code page, or the enrolment page that confirms a new
 * authenticator app with its first code): a full session and on to the page asked for; or the
 * page again (with `locals`), 400, 401 or 429.
 */
export function submitCodeStep(deps: ConsoleDependencies, view: 'code' | 'enrol', locals: (ctx: Context) => Promise<Record<string, unknown>>): Middleware {
  return async function submitCodeStep(ctx) {
    const form = ctx.state.form!;
    const next = safeConsolePath(form['next']);
    const read = readForm(CONSOLE_CODE_FORM, form);
    if (!read.ok) {
      ctx.status = 400;
      return renderForm(ctx, deps, view, { ...(await locals(ctx)), next, errors: read.errors });
    }
    const result = await checkOperatorCode(deps, ctx.state.operator!, { code: read.value.code, ip: ctx.ip }, view === 'enrol');
    if ('refused' in result) {
      ctx.status = result.refused === 'throttled' ? 429 : 401;
      if (result.refused === 'throttled') ctx.set('Retry-After', String(result.retryAfterSeconds));
      return renderForm(ctx, deps, view, { ...(await locals(ctx)), next, errors: [{ field: 'code', message: result.message }] });
    }
    await moveToSession(ctx, deps, result.passed, next);
  };
}

/** `POST /console/sign-out`: ends the session in the store, not only in this browser. */
export function submitConsoleSignOut(deps: ConsoleDependencies): Middleware {
  return async function submitConsoleSignOut(ctx) {
    await signOutOperator(deps, ctx.state.operator?.id, sessionToken(ctx, OPERATOR_SESSIONS));
    clearSessionCookie(ctx, OPERATOR_SESSIONS);
    ctx.status = 303;
    ctx.redirect('/console/sign-in?signed-out');
  };
}
