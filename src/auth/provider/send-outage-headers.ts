import type { Middleware } from 'koa';

import { OUTAGE_HEADERS } from '../../db/outage-headers.ts';

/**
 * oidc-provider renders `TemporarilyUnavailable` itself, inside each route, as a 503 (none of its
 * own errors has that status, so a 503 from it is always a store outage), but knows nothing of the
 * headers that go with one. Registered with `provider.use()`, this runs around every route and
 * adds them once the route has answered.
 */
export const sendOutageHeaders: Middleware = async function sendOutageHeaders(ctx, next) {
  await next();
  if (ctx.status === 503) ctx.set(OUTAGE_HEADERS);
};
