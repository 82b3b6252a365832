import type { Context, Middleware } from 'koa';

import { CatalogueConflict, CatalogueInvalid, CatalogueNotFound } from '../../../gateway/catalogue/catalogue-errors.ts';
import { loadCatalogue } from '../../../gateway/catalogue/catalogue.service.ts';
import type { GatewayPlan } from '../../../gateway/catalogue/catalogue.types.ts';
import { createPlan, deletePlan, getPlan, updatePlan } from '../../../gateway/catalogue/plans.service.ts';
import { pageNotice } from '../../../shared/page-notice.ts';
import type { FieldError } from '../../../shared/read-form.ts';
import { seeOther } from '../../../shared/see-other.ts';
import { auditAdminChange } from '../../http/audit-admin-change.ts';
import { mayDo } from '../../operators/operator-role.ts';
import { asAdminCaller } from '../as-admin-caller.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { ConsoleFormRefused, redirectAfterAudit, renderRefusedForm } from '../console-form-refusal.ts';
import { planFieldErrors, planFormValues, PLAN_FORM_FIELDS, readPlanForm } from './plan-form.ts';
import { selectPlanSubscribers } from './plans.store.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * Plans: every tier with its limits, quotas, price, how developers get it, the APIs it covers and
 * who subscribes; created, edited and deleted (when nobody subscribes) as the admin API's
 * POST /admin/v1/plans, PUT and DELETE /admin/v1/plans/{planId}, through the plans service,
 * audited under those routes.
 */

const NOTICES: Readonly<Record<string, string>> = {
  created: 'The plan has been created.',
  saved: 'The plan has been saved. Every gateway applies it within a second.',
  deleted: 'The plan has been deleted.',
};

const context = (deps: ConsoleDependencies) => ({ db: deps.db, events: deps.events, clock: deps.clock, actor: 'ops' as const });

/** `GET /console/plans` */
export function showPlans(deps: ConsoleDependencies): Middleware {
  return async function showPlans(ctx) {
    const [{ apis, plans }, subscribers] = await Promise.all([loadCatalogue(deps.db), selectPlanSubscribers(deps.db)]);
    const apiOf = new Map(apis.map((api) => [api.id, api]));
    await renderConsolePage(ctx, deps.csrfSecret, 'plans', {
      section: 'plans', notice: pageNotice(ctx, NOTICES), mayChange: mayDo(ctx.state.operator!.role, 'operate'),
      plans: plans.map((plan) => ({
        ...plan, subscribers: subscribers.get(plan.id) ?? { active: 0, requested: 0 },
        apis: plan.apiIds.flatMap((id) => apiOf.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version, 'en', { numeric: true })),
      })),
    });
  };
}

async function renderPlanForm(ctx: Context, deps: ConsoleDependencies, plan: GatewayPlan | undefined, values: Record<string, string>, errors: readonly FieldError[]): Promise<void> {
  const [{ apis }, subscribers] = await Promise.all([loadCatalogue(deps.db), selectPlanSubscribers(deps.db)]);
  await renderConsolePage(ctx, deps.csrfSecret, 'plans-form', {
    section: 'plans', plan, values, errors, hasError: errors.length > 0, csrf: consoleFormToken(ctx, deps.csrfSecret),
    apis: apis.toSorted((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version, 'en', { numeric: true })),
    subscribers: plan ? subscribers.get(plan.id) ?? { active: 0, requested: 0 } : undefined,
  });
}

async function planOfPath(ctx: Context, deps: ConsoleDependencies): Promise<GatewayPlan> {
  try {
    return await getPlan(deps.db, ctx.params['planId']!);
  } catch (error) {
    if (error instanceof CatalogueNotFound) return ctx.throw(404, 'There is no such plan.');
    throw error;
  }
}

/** The posted form, every field as typed, with its API checkboxes. */
const typedValues = (ctx: Context) => {
  const form = ctx.state.form ?? {};
  return { ...Object.fromEntries(PLAN_FORM_FIELDS.map((field) => [field, form[field] ?? ''])), ...Object.fromEntries(Object.entries(form).filter(([field]) => field.startsWith('api-'))) };
};

/** `GET /console/plans/new` */
export function showNewPlan(deps: ConsoleDependencies): Middleware {
  return async function showNewPlan(ctx) {
    await renderPlanForm(ctx, deps, undefined, { access: 'self-service' }, []);
  };
}

/** `GET /console/plans/{planId}`: the plan's form, with its subscribers. */
export function showPlan(deps: ConsoleDependencies): Middleware {
  return async function showPlan(ctx) {
    const plan = await planOfPath(ctx, deps);
    await renderPlanForm(ctx, deps, plan, planFormValues(plan), []);
  };
}

async function writePlan(ctx: Context, write: (body: Record<string, unknown>) => Promise<GatewayPlan>): Promise<GatewayPlan> {
  const read = readPlanForm(ctx.state.form!);
  if (!read.ok) throw new ConsoleFormRefused(400, read.errors);
  ctx.state.adminBody = read.body;
  try {
    return await write(read.body);
  } catch (error) {
    if (error instanceof CatalogueInvalid) throw new ConsoleFormRefused(400, planFieldErrors(error.issues));
    if (error instanceof CatalogueConflict) throw new ConsoleFormRefused(409, [{ field: 'name', message: `The name is taken: ${error.message}` }]);
    if (error instanceof CatalogueNotFound && error.message.includes('apiIds')) throw new ConsoleFormRefused(400, [{ field: 'apis', message: 'An API you chose has been deleted: choose again' }]);
    throw error;
  }
}

/** `POST /console/plans` (operate): the admin API's `POST /admin/v1/plans`. */
export function submitNewPlan(deps: ConsoleDependencies): Middleware[] {
  return [
    renderRefusedForm((ctx, errors) => renderPlanForm(ctx, deps, undefined, typedValues(ctx), errors)),
    asAdminCaller, redirectAfterAudit,
    auditAdminChange(deps.audit, { method: 'POST', path: '/admin/v1/plans' }),
    async function submitNewPlan(ctx: Context) {
      const plan = await writePlan(ctx, (body) => createPlan(context(deps), body));
      seeOther(ctx, '/console/plans?created');
      ctx.body = plan;
    },
  ];
}

/** `POST /console/plans/{planId}` (operate): the admin API's `PUT /admin/v1/plans/{planId}`. */
export function submitEditPlan(deps: ConsoleDependencies): Middleware[] {
  return [
    renderRefusedForm(async (ctx, errors) => renderPlanForm(ctx, deps, await planOfPath(ctx, deps), typedValues(ctx), errors)),
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'PUT', path: '/admin/v1/plans/{planId}', subject: (params) => getPlan(deps.db, params['planId']!) }),
    async function submitEditPlan(ctx: Context) {
      const plan = await planOfPath(ctx, deps);
      await writePlan(ctx, (body) => updatePlan(context(deps), plan.id, body));
      seeOther(ctx, '/console/plans?saved');
    },
  ];
}

/** `POST /console/plans/{planId}/delete` (operate): the admin API's `DELETE /admin/v1/plans/{planId}`; 409 while anyone subscribes. */
export function submitDeletePlan(deps: ConsoleDependencies): Middleware[] {
  return [
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'DELETE', path: '/admin/v1/plans/{planId}', subject: (params) => getPlan(deps.db, params['planId']!) }),
    async function submitDeletePlan(ctx: Context) {
      try {
        await deletePlan(context(deps), ctx.params['planId']!);
      } catch (error) {
        if (error instanceof CatalogueNotFound) ctx.throw(404, 'There is no such plan.');
        if (error instanceof CatalogueConflict) ctx.throw(409, `The plan cannot be deleted while applications subscribe to it or wait for it: ${error.message}.`);
        throw error;
      }
      seeOther(ctx, '/console/plans?deleted');
    },
  ];
}
