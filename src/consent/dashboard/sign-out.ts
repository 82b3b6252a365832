import type { Middleware } from 'koa';

import { SIGN_IN_PATH } from './dashboard-paths.ts';
import { clearSessionCookie } from './session-cookie.ts';

/** `POST /connected-apps/sign-out`: drops the session cookie and shows the sign-in page, saying so. */
export const signOut: Middleware = async function signOut(ctx) {
  clearSessionCookie(ctx);
  ctx.redirect(`${SIGN_IN_PATH}?signed-out`);
  ctx.status = 303;
};
