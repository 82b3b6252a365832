import type { Context, Middleware } from 'koa';

import { billingLinesCsv } from '../../../billing/billing-csv.ts';
import { getBillingMonth, listBillingMonths } from '../../../billing/billing-months.service.ts';
import { monthBounds, monthHasEnded } from '../../../billing/billing-month.ts';
import { formatMinorUnits } from '../../../billing/billing-pricing.ts';
import { selectCustomerIds } from '../../../billing/billing.store.ts';
import { CatalogueNotFound } from '../../../gateway/catalogue/catalogue-errors.ts';
import { pageNotice } from '../../../shared/page-notice.ts';
import { findOperatorById } from '../../operators/operator.store.ts';
import { mayDo } from '../../operators/operator-role.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * Billing in the console: the months run, each with its totals per currency and its status; a
 * month's lines per organisation, application and plan (usage and amount), its totals, its CSV,
 * and (with the operate right) running it again, closing it, pushing it to the payment provider,
 * and setting each organisation's customer id there. The changes are the admin API's own
 * (`billing-actions.pages.ts`).
 */

const NOTICES: Readonly<Record<string, string>> = {
  run: 'The month has been run: its lines are drafts until it is closed.',
  closed: 'The month has been closed: its lines are final and may be pushed.',
  pushed: 'The month has been pushed: every line with an amount has been sent.',
  recorded: 'The month has been pushed: with no payment provider configured, its lines are recorded as sent, to nobody.',
  'push-failed': 'Some lines could not be pushed: see each line\'s push. Push again to retry them; the lines sent already are not sent twice.',
  customer: 'The customer id has been saved.',
};

const MONTH_NAME = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `November 2026` for `2026-11`. */
export const monthName = (month: string) => MONTH_NAME.format(new Date(`${month}-01T00:00:00Z`));

/** The previous calendar month (UTC) of `now`, `YYYY-MM`: what an operator most often runs. */
function previousMonth(now: Date): string {
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return date.toISOString().slice(0, 7);
}

const money = (amountMinorUnits: number, currency: string | null) => (currency ? `${formatMinorUnits(amountMinorUnits, currency)} ${currency}` : 'free');

/** `GET /console/billing` */
export function showBillingMonths(deps: ConsoleDependencies): Middleware {
  return async function showBillingMonths(ctx) {
    await renderConsolePage(ctx, deps.csrfSecret, 'billing', {
      section: 'billing', months: await listBillingMonths(deps.db), monthName, money, provider: deps.paymentProvider.name,
      mayOperate: mayDo(ctx.state.operator!.role, 'administer'), defaultMonth: previousMonth(deps.clock.now()), maxMonth: deps.clock.now().toISOString().slice(0, 7),
      csrf: consoleFormToken(ctx, deps.csrfSecret), notice: pageNotice(ctx, NOTICES),
    });
  };
}

async function loadMonth(ctx: Context, deps: ConsoleDependencies) {
  try {
    return await getBillingMonth(deps.db, ctx.params['month']!);
  } catch (error) {
    if (error instanceof CatalogueNotFound) return ctx.throw(404, 'That month has not been run. Run it from the billing page.');
    throw error;
  }
}

/** Who ran or closed a month, in words: the operator's name, or the admin API's token. */
async function actorName(deps: ConsoleDependencies, actor: string | null): Promise<string | null> {
  if (actor === null) return null;
  if (actor === 'admin-token') return 'the admin API (admin token)';
  const operator = actor.startsWith('operator:') ? await findOperatorById(deps.db, actor.slice('operator:'.length)) : undefined;
  return operator?.name ?? actor;
}

/** `GET /console/billing/{month}` */
export function showBillingMonth(deps: ConsoleDependencies): Middleware {
  return async function showBillingMonth(ctx) {
    const month = await loadMonth(ctx, deps);
    const organisations = new Map(month.lines.map((line) => [line.organisationId, line.organisationName]));
    const customers = await selectCustomerIds(deps.db, [...organisations.keys()]);
    const ended = monthHasEnded(monthBounds(month.month), deps.clock.now());
    await renderConsolePage(ctx, deps.csrfSecret, 'billing-month', {
      section: 'billing', month, monthName, money, ended, provider: deps.paymentProvider.name, runBy: await actorName(deps, month.runBy), closedBy: await actorName(deps, month.closedBy),
      organisations: [...organisations].map(([id, name]) => ({ id, name, customerId: customers.get(id) ?? null })).sort((a, b) => a.name.localeCompare(b.name)),
      mayOperate: mayDo(ctx.state.operator!.role, 'administer'), csrf: consoleFormToken(ctx, deps.csrfSecret), notice: pageNotice(ctx, NOTICES),
    });
  };
}

/** `GET /console/billing/{month}/lines.csv`: the month's lines for a spreadsheet. */
export function exportBillingMonthCsv(deps: ConsoleDependencies): Middleware {
  return async function exportBillingMonthCsv(ctx) {
    const { lines } = await loadMonth(ctx, deps);
    ctx.type = 'text/csv; charset=utf-8; header=present';
    ctx.attachment(`billing-${ctx.params['month']}.csv`);
    ctx.body = billingLinesCsv(lines);
  };
}
