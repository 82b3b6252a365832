import type { Context, Middleware } from 'koa';

import { formCsrfMatches, formCsrfToken } from '../../shared/form-csrf.ts';
import { PortalPageError } from '../portal-page-error.ts';

/* CSRF for the portal's forms, before anyone is signed in too (`shared/form-csrf.ts`), under a cookie of the portal's. */

const COOKIE = '__Host-portcullis-portal-form';

/** The form token for this browser, setting its cookie first when it has none. */
export function portalFormToken(ctx: Context, secret: Buffer): string {
  return formCsrfToken(ctx, secret, COOKIE);
}

/** Refuses a form whose `csrf` field is not this browser's token (403 on a portal page). */
export function checkPortalForm(secret: Buffer): Middleware {
  return async function checkPortalForm(ctx, next) {
    if (!formCsrfMatches(ctx, secret, COOKIE)) throw new PortalPageError(403, 'This form has expired. Go back, reload the page and send it again.');
    await next();
  };
}
