import { randomBytes } from 'node:crypto';

import type { Context } from 'koa';

import { csrfTokenFor, csrfTokenMatches } from './csrf-token.ts';

/*
 * CSRF for a browser part's forms, signed in or not: a random `__Host-` cookie (Secure, HttpOnly,
 * SameSite=Strict) of the part's own and, in each form, an HMAC of it under the server's CSRF
 * secret. Another site can neither read the cookie nor compute the token.
 */

const VALUE = /^[A-Za-z0-9_-]{43}$/;

/** The form token for this browser under `cookie` (a `__Host-` name), setting the cookie first when it has none. */
export function formCsrfToken(ctx: Context, secret: Buffer, cookie: string): string {
  let value = ctx.cookies.get(cookie);
  if (!value || !VALUE.test(value)) {
    value = randomBytes(32).toString('base64url');
    ctx.cookies.set(cookie, value, { secure: true, httpOnly: true, sameSite: 'strict', path: '/', overwrite: true });
  }
  return csrfTokenFor(secret, `${cookie}:${value}`);
}

/** Whether the posted form's `csrf` field is this browser's token under `cookie`. */
export function formCsrfMatches(ctx: Context, secret: Buffer, cookie: string): boolean {
  const value = ctx.cookies.get(cookie);
  return Boolean(value) && csrfTokenMatches(secret, `${cookie}:${value}`, ctx.state.form?.['csrf']);
}
