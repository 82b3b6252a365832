import type { Context, Middleware } from 'koa';

import { getBillingCustomer, setBillingCustomer } from '../../../billing/billing-customers.service.ts';
import { isWrittenMonth } from '../../../billing/billing-month.ts';
import { getBillingMonthSummary } from '../../../billing/billing-months.service.ts';
import { pushBillingMonth } from '../../../billing/billing-push.service.ts';
import { closeBillingMonth, runBillingMonth, type BillingContext } from '../../../billing/billing-run.service.ts';
import { CatalogueConflict, CatalogueInvalid, CatalogueNotFound } from '../../../gateway/catalogue/catalogue-errors.ts';
import { ConsumerNotFound } from '../../../gateway/consumers/consumers.service.ts';
import { auditAdminChange } from '../../http/audit-admin-change.ts';
import { asAdminCaller } from '../as-admin-caller.ts';
import type { ConsoleDependencies } from '../console.deps.ts';

/*
 * The billing section's changes, each the admin API's own route (run, close, push a month; set an
 * organisation's customer id), audited under that route with the operator as the caller. A form
 * that names its month or organisation in a field has it moved into the route's parameters
 * first, so that the audit entry reads as the admin API's would.
 */

const billingContext = (deps: ConsoleDependencies, ctx: Context): BillingContext => ({ db: deps.db, events: deps.events, clock: deps.clock, actor: `operator:${ctx.state.operator!.id}` });

/** Turns the services' refusals into the console's error pages, in words an operator acts on. */
async function answerRefusals(ctx: Context, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof CatalogueInvalid) ctx.throw(400, `That month ${error.issues[0]?.message ?? 'is not valid'}.`);
    if (error instanceof CatalogueNotFound || error instanceof ConsumerNotFound) ctx.throw(404, 'That month has not been run, or that organisation is gone.');
    if (error instanceof CatalogueConflict) ctx.throw(409, `This cannot be done: ${error.message}.`);
    throw error;
  }
}

/** The run form's month (`<input type="month">`) as the route's `month` parameter. */
const monthFromForm: Middleware = async function monthFromForm(ctx, next) {
  const month = ctx.state.form!['month'] ?? '';
  if (!isWrittenMonth(month)) ctx.throw(400, 'Choose a month to run, written YYYY-MM.');
  ctx.params['month'] = month;
  await next();
};

const monthAudit = (deps: ConsoleDependencies, action: 'run' | 'close' | 'push') => auditAdminChange(deps.audit, {
  method: 'POST', path: `/admin/v1/billing/months/{month}/${action}`, subject: (params) => getBillingMonthSummary(deps.db, params['month']!),
});

/** `POST /console/billing/run` (month in the form) and `POST /console/billing/{month}/run`. */
export function submitRunMonth(deps: ConsoleDependencies, monthIn: 'form' | 'path'): Middleware[] {
  return [...(monthIn === 'form' ? [monthFromForm] : []), asAdminCaller, monthAudit(deps, 'run'), async function submitRunMonth(ctx: Context) {
    const month = ctx.params['month']!;
    await answerRefusals(ctx, async () => {
      const { status } = await runBillingMonth(billingContext(deps, ctx), month);
      ctx.status = 303;
      ctx.redirect(`/console/billing/${month}${status === 'open' ? '?run' : ''}`);
    });
  }];
}

/** `POST /console/billing/{month}/close` */
export function submitCloseMonth(deps: ConsoleDependencies): Middleware[] {
  return [asAdminCaller, monthAudit(deps, 'close'), async function submitCloseMonth(ctx: Context) {
    const month = ctx.params['month']!;
    await answerRefusals(ctx, async () => {
      await closeBillingMonth(billingContext(deps, ctx), month);
      ctx.status = 303;
      ctx.redirect(`/console/billing/${month}?closed`);
    });
  }];
}

/** `POST /console/billing/{month}/push` */
export function submitPushMonth(deps: ConsoleDependencies): Middleware[] {
  return [asAdminCaller, monthAudit(deps, 'push'), async function submitPushMonth(ctx: Context) {
    const month = ctx.params['month']!;
    await answerRefusals(ctx, async () => {
      const outcome = await pushBillingMonth(billingContext(deps, ctx), deps.paymentProvider, month);
      ctx.status = 303;
      const done = deps.paymentProvider.name === 'none' ? 'recorded' : 'pushed';
      ctx.redirect(`/console/billing/${month}?${outcome.failed > 0 ? 'push-failed' : done}`);
    });
  }];
}

/** The customer form's organisation as the route's parameter, and its customer id as the request body the audit records. */
const customerFromForm: Middleware = async function customerFromForm(ctx, next) {
  ctx.params['organisationId'] = ctx.state.form!['organisationId'] ?? '';
  ctx.state.adminBody = { customerId: ctx.state.form!['customerId'] ?? '' };
  await next();
};

/** `POST /console/billing/customers`: an organisation's customer id at the payment provider, from a month's page (named in the form, to go back to). */
export function submitBillingCustomer(deps: ConsoleDependencies): Middleware[] {
  return [customerFromForm, asAdminCaller, auditAdminChange(deps.audit, {
    method: 'PUT', path: '/admin/v1/billing/customers/{organisationId}', subject: (params) => getBillingCustomer(deps, params['organisationId']!),
  }), async function submitBillingCustomer(ctx: Context) {
    const month = ctx.state.form!['month'] ?? '';
    try {
      await setBillingCustomer(deps, ctx.params['organisationId']!, ctx.state.adminBody);
    } catch (error) {
      if (error instanceof CatalogueInvalid) ctx.throw(400, 'A customer id is letters, digits, _ and - only, as the payment provider gave it (cus_…).');
      if (error instanceof ConsumerNotFound) ctx.throw(404, 'There is no such organisation.');
      throw error;
    }
    ctx.status = 303;
    ctx.redirect(isWrittenMonth(month) ? `/console/billing/${month}?customer` : '/console/billing');
  }];
}
