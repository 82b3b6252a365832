import Router from '@koa/router';
import type { Knex } from 'knex';

import { storeIsReachable } from '../db/knex.ts';
import { OUTAGE_HEADERS } from '../db/outage-headers.ts';

/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the process is not stopping
 * and the store answers too; when it does not, a 503 with the same `Retry-After` as every other
 * answer during an outage). A stopping process is alive but not ready, so that the load balancer
 * stops choosing it while it finishes what it has.
 */
export function healthRoutes(db: Knex, isDraining: () => boolean): Router {
  const router = new Router();
  router.get('/healthz', function healthz(ctx) {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async function readyz(ctx) {
    if (isDraining()) {
      ctx.status = 503;
      ctx.body = { status: 'stopping' };
      return;
    }
    const ready = await storeIsReachable(db);
    if (!ready) ctx.set(OUTAGE_HEADERS);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', store: ready ? 'ok' : 'unreachable' };
  });
  return router;
}
