import type { Middleware } from 'koa';

import { SIGN_IN_PATH } from './dashboard-paths.ts';

/** A signed-out visitor (no session, or one not yet signed in) is sent to the sign-in page: 303. */
export const requireCustomer: Middleware = async function requireCustomer(ctx, next) {
  if (!ctx.state.dashboardSession?.customerId) {
    ctx.redirect(SIGN_IN_PATH);
    ctx.status = 303;
    return;
  }
  await next();
};
