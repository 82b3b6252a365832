import Router from '@koa/router';
import type { Knex } from 'knex';

import { storeIsReachable } from '../db/knex.ts';
import { OUTAGE_HEADERS } from '../db/outage-headers.ts';

/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the store answers too; when
 * it does not, a 503 with the same `Retry-After` as every other answer during an outage).
 */
export function healthRoutes(db: Knex): Router {
  const router = new Router();
  router.get('/healthz', function healthz(ctx) {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async function readyz(ctx) {
    const ready = await storeIsReachable(db);
    if (!ready) ctx.set(OUTAGE_HEADERS);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', store: ready ? 'ok' : 'unreachable' };
  });
  return router;
}
