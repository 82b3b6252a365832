import type { Middleware } from 'koa';

/**
 * Makes the signed-in operator the caller the admin API's audit names (`operator:<id>`), so that a
 * console page which stands for an admin API route is audited exactly as that route would be.
 */
export const asAdminCaller: Middleware = async function asAdminCaller(ctx, next) {
  const operator = ctx.state.operator!;
  ctx.state.adminCaller = { actor: `operator:${operator.id}`, role: operator.role, operatorId: operator.id };
  await next();
};
