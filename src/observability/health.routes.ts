import Router from '@koa/router';
import type { Knex } from 'knex';

import { storeIsReachable } from '../db/knex.ts';

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the store answers too). */
export function healthRoutes(db: Knex): Router {
  const router = new Router();
  router.get('/healthz', function healthz(ctx) {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async function readyz(ctx) {
    const ready = await storeIsReachable(db);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', store: ready ? 'ok' : 'unreachable' };
  });
  return router;
}
