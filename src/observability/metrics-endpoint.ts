import type { Middleware } from 'koa';
import type { Registry } from 'prom-client';

/**
 * Answers `GET /metrics` (and HEAD) with the series of `registries`, one after the other, in the
 * Prometheus text format and passes every other path on. Mount it on a listener only the scraper
 * reaches (the admin one, say): the series name every API, route and application id.
 */
export function metricsEndpoint(registries: readonly [Registry, ...Registry[]]): Middleware {
  return async function serveMetrics(ctx, next) {
    if (ctx.path !== '/metrics') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = registries[0].contentType;
    ctx.body = (await Promise.all(registries.map((registry) => registry.metrics()))).join('');
  };
}
