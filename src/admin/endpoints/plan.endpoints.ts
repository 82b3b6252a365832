import type { Middleware } from 'koa';

import { createPlan, deletePlan, getPlan, listPlans, updatePlan } from '../../gateway/catalogue/plans.service.ts';
import type { AdminApiDependencies } from '../admin-api.deps.ts';
import { renderPage } from '../admin-render.ts';
import { readAdminJson } from '../http/read-admin-json.ts';
import { readListQuery } from '../http/read-list-query.ts';

/* `/admin/v1/plans`: tiers with their limits, quotas, price and APIs. One endpoint per export. */

export function listPlansEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readListQuery(), async function handleListPlans(ctx) {
    ctx.body = renderPage(await listPlans(deps.catalogue.db, ctx.state.adminList!.page), (plan) => plan);
  }];
}

export function createPlanEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readAdminJson, async function handleCreatePlan(ctx) {
    const plan = await createPlan(deps.catalogue, ctx.state.adminBody);
    ctx.status = 201;
    ctx.set('Location', `/admin/v1/plans/${plan.id}`);
    ctx.body = plan;
  }];
}

export function readPlanEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleReadPlan(ctx) {
    ctx.body = await getPlan(deps.catalogue.db, ctx.params['planId']!);
  }];
}

export function replacePlanEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readAdminJson, async function handleReplacePlan(ctx) {
    ctx.body = await updatePlan(deps.catalogue, ctx.params['planId']!, ctx.state.adminBody);
  }];
}

export function deletePlanEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleDeletePlan(ctx) {
    await deletePlan(deps.catalogue, ctx.params['planId']!);
    ctx.status = 204;
  }];
}
