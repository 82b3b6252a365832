import type { Context, Middleware } from 'koa';

import { CatalogueConflict, CatalogueNotFound } from '../../../gateway/catalogue/catalogue-errors.ts';
import { selectSubscriptionRequests } from '../../../gateway/catalogue/subscription.store.ts';
import { approveSubscription, getSubscription, refuseSubscription } from '../../../gateway/catalogue/subscriptions.service.ts';
import { auditAdminChange } from '../../http/audit-admin-change.ts';
import { asAdminCaller } from '../as-admin-caller.ts';
import { mayDo } from '../../operators/operator-role.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { renderConsolePage } from '../render-console-page.ts';
import { pageNotice } from '../../../shared/page-notice.ts';

/*
 * Plan requests: the subscriptions developers asked for in the portal to plans that are not
 * self-service, oldest first; an operator approves one (the application's keys may call the plan's
 * APIs at once, on every gateway) or refuses it. The decisions are the admin API's own
 * (`POST /admin/v1/subscriptions/{id}/approve|refuse`): the same services, audited under that route
 * with the operator as the caller.
 */

const NOTICES: Readonly<Record<string, string>> = {
  approved: 'The request has been approved: the application may call the plan\'s APIs now.',
  refused: 'The request has been refused.',
};

/** `GET /console/plan-requests` */
export function showPlanRequests(deps: ConsoleDependencies): Middleware {
  return async function showPlanRequests(ctx) {
    const notice = pageNotice(ctx, NOTICES);
    await renderConsolePage(ctx, deps.csrfSecret, 'plan-requests', {
      section: 'plan-requests', requests: await selectSubscriptionRequests(deps.db), mayDecide: mayDo(ctx.state.operator!.role, 'operate'),
      csrf: consoleFormToken(ctx, deps.csrfSecret), notice,
    });
  };
}

/** `POST /console/plan-requests/{subscriptionId}/approve|refuse` (operate). */
export function submitPlanDecision(deps: ConsoleDependencies, decision: 'approve' | 'refuse'): Middleware[] {
  const decide = decision === 'approve' ? approveSubscription : refuseSubscription;
  return [
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'POST', path: `/admin/v1/subscriptions/{subscriptionId}/${decision}`, subject: (params) => getSubscription(deps.db, params['subscriptionId']!) }),
    async function submitPlanDecision(ctx: Context) {
      try {
        await decide({ db: deps.db, events: deps.events, clock: deps.clock, actor: 'ops' }, ctx.params['subscriptionId']!);
      } catch (error) {
        if (error instanceof CatalogueNotFound) ctx.throw(404, 'There is no such plan request.');
        if (error instanceof CatalogueConflict) ctx.throw(409, 'That request has been decided already, or withdrawn by the developer.');
        throw error;
      }
      ctx.status = 303;
      ctx.redirect(`/console/plan-requests?${decision === 'approve' ? 'approved' : 'refused'}`);
    },
  ];
}
