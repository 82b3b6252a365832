import type { Middleware } from 'koa';

import { approveSubscription, cancelSubscription, getSubscription, listSubscriptions, refuseSubscription, subscribe } from '../../gateway/catalogue/subscriptions.service.ts';
import type { AdminApiDependencies } from '../admin-api.deps.ts';
import { renderPage } from '../admin-render.ts';
import { readAdminJson } from '../http/read-admin-json.ts';
import { readListQuery } from '../http/read-list-query.ts';

/* `/admin/v1/subscriptions`: applications' subscriptions to plans, and an operator's decisions on them. */

export function listSubscriptionsEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readListQuery(['applicationId', 'planId']), async function handleListSubscriptions(ctx) {
    const { page, filters } = ctx.state.adminList!;
    ctx.body = renderPage(await listSubscriptions(deps.catalogue.db, page, { applicationId: filters['applicationId'], planId: filters['planId'] }), (subscription) => subscription);
  }];
}

export function createSubscriptionEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readAdminJson, async function handleCreateSubscription(ctx) {
    const subscription = await subscribe(deps.catalogue, ctx.state.adminBody);
    ctx.status = 201;
    ctx.set('Location', `/admin/v1/subscriptions/${subscription.id}`);
    ctx.body = subscription;
  }];
}

export function readSubscriptionEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleReadSubscription(ctx) {
    ctx.body = await getSubscription(deps.catalogue.db, ctx.params['subscriptionId']!);
  }];
}

/** `POST /admin/v1/subscriptions/{id}/approve|refuse|cancel`: no body. */
export function decideSubscriptionEndpoint(deps: AdminApiDependencies, decision: 'approve' | 'refuse' | 'cancel'): Middleware[] {
  const decide = { approve: approveSubscription, refuse: refuseSubscription, cancel: cancelSubscription }[decision];
  return [async function handleDecideSubscription(ctx) {
    ctx.body = await decide(deps.catalogue, ctx.params['subscriptionId']!);
  }];
}
