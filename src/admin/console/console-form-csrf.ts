import type { Context, Middleware } from 'koa';

import { formCsrfMatches, formCsrfToken } from '../../shared/form-csrf.ts';

/* CSRF for the console's forms, before sign-in too (`shared/form-csrf.ts`), under a cookie of the console's. */

const COOKIE = '__Host-portcullis-console-form';

export function consoleFormToken(ctx: Context, secret: Buffer): string {
  return formCsrfToken(ctx, secret, COOKIE);
}

/** Refuses a form whose `csrf` field is not this browser's token (403 on the console's error page). */
export function checkConsoleForm(secret: Buffer): Middleware {
  return async function checkConsoleForm(ctx, next) {
    if (!formCsrfMatches(ctx, secret, COOKIE)) ctx.throw(403, 'This form has expired. Go back, reload the page and send it again.');
    await next();
  };
}
