import type { Context, Middleware } from 'koa';

import { setBillingCustomer } from '../../billing/billing-customers.service.ts';
import { billingLinesCsv } from '../../billing/billing-csv.ts';
import { getBillingMonth, listBillingMonths } from '../../billing/billing-months.service.ts';
import { pushBillingMonth } from '../../billing/billing-push.service.ts';
import { closeBillingMonth, runBillingMonth, type BillingContext } from '../../billing/billing-run.service.ts';
import type { AdminApiDependencies } from '../admin-api.deps.ts';
import { readAdminJson } from '../http/read-admin-json.ts';

/*
 * `/admin/v1/billing/`: billing months (run, read as JSON or CSV, close, push to the payment
 * provider) and each organisation's customer id at the provider. One endpoint per export.
 */

const billingContext = (deps: AdminApiDependencies, ctx: Context): BillingContext => ({ ...deps.catalogue, actor: ctx.state.adminCaller!.actor });
const monthOf = (ctx: Context) => ctx.params['month']!;

export function listBillingMonthsEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleListBillingMonths(ctx) {
    ctx.body = { items: await listBillingMonths(deps.catalogue.db) };
  }];
}

export function readBillingMonthEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleReadBillingMonth(ctx) {
    ctx.body = await getBillingMonth(deps.catalogue.db, monthOf(ctx));
  }];
}

export function exportBillingMonthEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleExportBillingMonth(ctx) {
    const { lines } = await getBillingMonth(deps.catalogue.db, monthOf(ctx));
    ctx.type = 'text/csv; charset=utf-8; header=present';
    ctx.attachment(`billing-${monthOf(ctx)}.csv`);
    ctx.body = billingLinesCsv(lines);
  }];
}

export function runBillingMonthEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleRunBillingMonth(ctx) {
    await runBillingMonth(billingContext(deps, ctx), monthOf(ctx));
    ctx.body = await getBillingMonth(deps.catalogue.db, monthOf(ctx));
  }];
}

export function closeBillingMonthEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleCloseBillingMonth(ctx) {
    await closeBillingMonth(billingContext(deps, ctx), monthOf(ctx));
    ctx.body = await getBillingMonth(deps.catalogue.db, monthOf(ctx));
  }];
}

export function pushBillingMonthEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handlePushBillingMonth(ctx) {
    const outcome = await pushBillingMonth(billingContext(deps, ctx), deps.paymentProvider, monthOf(ctx));
    ctx.body = { provider: deps.paymentProvider.name, ...outcome };
  }];
}

export function setBillingCustomerEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readAdminJson, async function handleSetBillingCustomer(ctx) {
    ctx.body = await setBillingCustomer(deps.catalogue, ctx.params['organisationId']!, ctx.state.adminBody);
  }];
}
