import type { Knex } from 'knex';
import type { Middleware } from 'koa';

import { storeIsReachable } from '../db/knex.ts';
import { OUTAGE_HEADERS } from '../db/outage-headers.ts';

/** What a probe may ask: liveness and readiness. */
export const HEALTH_PATHS = { live: '/healthz', ready: '/readyz' } as const;

/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the process is not stopping
 * and the store answers too; when it does not, a 503 with the same `Retry-After` as every other
 * answer during an outage). A stopping process is alive but not ready, so that the load balancer
 * stops choosing it while it finishes what it has. Both answer GET and HEAD; every other request
 * goes on. Two paths need no route table: every request of a listener passes here.
 */
export function healthRoutes(db: Knex, isDraining: () => boolean): Middleware {
  async function readyz(ctx: Parameters<Middleware>[0]): Promise<void> {
    if (isDraining()) {
      ctx.status = 503;
      ctx.body = { status: 'stopping' };
      return;
    }
    const ready = await storeIsReachable(db);
    if (!ready) ctx.set(OUTAGE_HEADERS);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', store: ready ? 'ok' : 'unreachable' };
  }
  return function healthRoutes(ctx, next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === HEALTH_PATHS.live) {
      ctx.body = { status: 'ok' };
      return Promise.resolve();
    }
    return ctx.path === HEALTH_PATHS.ready ? readyz(ctx) : next();
  };
}
