import { randomBytes } from 'node:crypto';

import type { Context, Middleware } from 'koa';

import { csrfTokenFor, csrfTokenMatches } from '../../shared/csrf-token.ts';
import { PortalPageError } from '../portal-page-error.ts';

/*
 * CSRF for the portal's forms before anyone is signed in: a random `__Host-` cookie (Secure,
 * HttpOnly, SameSite=Strict) and, in each form, an HMAC of it under the server's CSRF secret.
 * Another site can neither read the cookie nor compute the token.
 */

const COOKIE = '__Host-portcullis-portal-form';

/** The form token for this browser, setting its cookie first when it has none. */
export function portalFormToken(ctx: Context, secret: Buffer): string {
  let value = ctx.cookies.get(COOKIE);
  if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
    value = randomBytes(32).toString('base64url');
    ctx.cookies.set(COOKIE, value, { secure: true, httpOnly: true, sameSite: 'strict', path: '/', overwrite: true });
  }
  return csrfTokenFor(secret, `portal-form:${value}`);
}

/** Refuses a form whose `csrf` field is not this browser's token (403 on a portal page). */
export function checkPortalForm(secret: Buffer): Middleware {
  return async function checkPortalForm(ctx, next) {
    const value = ctx.cookies.get(COOKIE);
    if (!value || !csrfTokenMatches(secret, `portal-form:${value}`, (ctx.state.form as Record<string, string>)['csrf'])) {
      throw new PortalPageError(403, 'This form has expired. Go back, reload the page and send it again.');
    }
    await next();
  };
}
