import type { Middleware } from 'koa';

/** Pages and responses with personal or secret data are never cached (RFC 6749 §5.1, FAPI). */
export const noStore: Middleware = async function noStore(ctx, next) {
  ctx.set('Cache-Control', 'no-store');
  await next();
};
