import type { Middleware } from 'koa';

/**
 * Hands the requests for paths under `prefix` to `routes` alone and every other request on, so
 * that an API mounted beside the pages (the bank integration's) answers all of its own paths,
 * unknown ones included, in its own format, and never sees another path.
 */
export function underPrefix(prefix: string, routes: Middleware): Middleware {
  return async function underPrefix(ctx, next) {
    if (!ctx.path.startsWith(prefix)) return next();
    return routes(ctx, async () => {});
  };
}
