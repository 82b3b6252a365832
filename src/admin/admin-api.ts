import Router from '@koa/router';
import type { Middleware } from 'koa';
import compose from 'koa-compose';

import { noStore } from '../shared/no-store.ts';
import { Problem } from '../shared/problem.ts';
import { renderProblems } from '../shared/problem-response.ts';
import type { AdminApiDependencies } from './admin-api.deps.ts';
import { ADMIN_ROUTES, type AdminRoute } from './admin-api.routes.ts';
import './admin-state.ts';
import { requireRight } from './http/admin-caller.ts';
import { auditAdminChange } from './http/audit-admin-change.ts';
import { requireAdminToken } from './http/require-admin-token.ts';
import { translateRefusals } from './http/translate-refusals.ts';

/**
 * The admin API (DESIGN.md: everything the console does goes through it): REST and JSON under
 * `/admin/v1/`, on its own listener, which it answers alone. Every response is `no-store`; every
 * path but the OpenAPI document needs the admin token or an operator's personal token (then the
 * caller is that operator, with their role), checked before routing so that the route
 * table is no secret's guide; each route then needs its right of the caller's role, and every
 * change is audited (`audit-admin-change.ts`); every failure is problem details (RFC 9457),
 * rendered in one place.
 * A path no route has is 404, a method a path lacks 405 with `Allow` (RFC 9110 §15.5.6).
 */
export function adminApi(deps: AdminApiDependencies): Middleware {
  const router = new Router();
  const publicRouter = new Router();
  for (const route of ADMIN_ROUTES) {
    const path = route.path.replace(/\{(\w+)\}/g, ':$1');
    if (route.public) publicRouter.register(path, [route.method], route.endpoint(deps));
    else router.register(path, [route.method], [...guarded(deps, route), ...route.endpoint(deps)]);
  }
  return compose([
    renderProblems(deps.logger, deps.problemTypeBase, 'admin_api.error'),
    noStore,
    publicRouter.routes() as Middleware,
    requireAdminToken(deps.adminToken, { db: deps.catalogue.db, clock: deps.catalogue.clock }),
    translateRefusals,
    router.routes() as Middleware,
    answerUnrouted,
  ]);
}

/**
 * What runs before a route's endpoint: the caller's role must hold the route's right, and a change
 * is audited (its refusals translated first, so that the entry has the status the caller got).
 */
function guarded(deps: AdminApiDependencies, route: AdminRoute): Middleware[] {
  const right = route.right ?? (route.method === 'GET' ? 'read' : 'operate');
  if (route.method === 'GET') return [requireRight(right)];
  const subject = route.subject && ((params: Record<string, string>) => route.subject!(deps, params));
  return [requireRight(right), auditAdminChange(deps.audit, { method: route.method, path: route.path, ...(subject ? { subject } : {}) }), translateRefusals];
}

const PATTERNS = ADMIN_ROUTES.map((route) => ({
  pattern: new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
  methods: route.method === 'GET' ? ['GET', 'HEAD'] : [route.method],
}));

// Runs when no route answered: a path some route has for other methods is 405, any other 404.
const answerUnrouted: Middleware = async function answerUnrouted(ctx) {
  const methods = new Set(PATTERNS.filter(({ pattern }) => pattern.test(ctx.path)).flatMap((route) => route.methods));
  if (methods.size > 0) throw new Problem(405, 'method-not-allowed', `${ctx.method} is not allowed on ${ctx.path}`, { headers: { Allow: [...methods].join(', ') } });
  throw new Problem(404, 'not-found', `${ctx.path} is not a path of the admin API`);
};
