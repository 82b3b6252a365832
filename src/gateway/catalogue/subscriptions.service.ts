import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import { findApplication } from '../consumers/consumer.store.ts';
import { pageOf, type Page, type PageRequest } from '../page.ts';
import { CatalogueConflict, CatalogueNotFound } from './catalogue-errors.ts';
import { inTransaction, type CatalogueContext } from './catalogue-transaction.ts';
import { parseInput, subscriptionInputSchema } from './catalogue.schema.ts';
import { selectPlan } from './catalogue.store.ts';
import type { Subscription, SubscriptionStatus } from './catalogue.types.ts';
import { statusesLeadingTo } from './subscription-status.ts';
import { insertSubscription, selectSubscription, selectSubscriptionOf, selectSubscriptionPage, updateSubscriptionStatus } from './subscription.store.ts';

/*
 * Applications' subscriptions to plans (`subscription-status.ts` has the moves). A subscription to
 * a self-service plan is active at once; any other waits for an operator. Every move is announced
 * (`subscription.status_changed`) once committed: the gateway learns an application's plans from it.
 */

/** The subscription; throws `CatalogueNotFound`. */
export async function getSubscription(db: Knex, id: string): Promise<Subscription> {
  const subscription = await selectSubscription(db, id);
  if (!subscription) throw new CatalogueNotFound(`no subscription ${id}`);
  return subscription;
}

/** A page of subscriptions by id, narrowed to an application or a plan when given. */
export async function listSubscriptions(db: Knex, page: PageRequest, filter: { applicationId?: string | undefined; planId?: string | undefined }): Promise<Page<Subscription>> {
  return pageOf(await selectSubscriptionPage(db, page, filter), page.limit);
}

/**
 * Subscribes an application to a plan: `active` for a self-service plan, `requested` otherwise.
 * A refused or cancelled subscription to the same plan starts over. Throws `CatalogueInvalid`,
 * `CatalogueNotFound` (application or plan) or `CatalogueConflict` (requested or active already).
 */
export async function subscribe(context: CatalogueContext, input: unknown): Promise<Subscription> {
  const { applicationId, planId } = parseInput(subscriptionInputSchema, input);
  return inTransaction(context, async (trx, announce) => {
    if (!(await findApplication(trx, applicationId))) throw new CatalogueNotFound(`no application ${applicationId}`);
    const plan = await selectPlan(trx, planId);
    if (!plan) throw new CatalogueNotFound(`no plan ${planId}`);
    const status: SubscriptionStatus = plan.selfService ? 'active' : 'requested';
    const now = context.clock.now();
    const existing = await selectSubscriptionOf(trx, applicationId, planId);
    let subscription: Subscription | undefined;
    if (!existing) subscription = await insertSubscription(trx, { id: `sub-${randomUUID()}`, applicationId, planId, status, at: now });
    else subscription = await updateSubscriptionStatus(trx, existing.id, ['refused', 'cancelled'], status, now);
    if (!subscription) throw new CatalogueConflict(`the application's subscription to plan ${plan.name} is ${existing!.status} already`);
    announce('subscription.status_changed', { subscriptionId: subscription.id, applicationId, planId, status, actor: context.actor });
    return subscription;
  });
}

async function moveSubscription(context: CatalogueContext, id: string, to: SubscriptionStatus): Promise<Subscription> {
  return inTransaction(context, async (trx, announce) => {
    const moved = await updateSubscriptionStatus(trx, id, statusesLeadingTo(to), to, context.clock.now());
    if (!moved) {
      const current = await selectSubscription(trx, id);
      if (!current) throw new CatalogueNotFound(`no subscription ${id}`);
      throw new CatalogueConflict(`the subscription is ${current.status}; it cannot become ${to}`);
    }
    announce('subscription.status_changed', { subscriptionId: id, applicationId: moved.applicationId, planId: moved.planId, status: to, actor: context.actor });
    return moved;
  });
}

/** An operator approves a requested subscription: it becomes `active`. */
export const approveSubscription = (context: CatalogueContext, id: string) => moveSubscription(context, id, 'active');
/** An operator refuses a requested subscription. */
export const refuseSubscription = (context: CatalogueContext, id: string) => moveSubscription(context, id, 'refused');
/** A requested or active subscription is cancelled. */
export const cancelSubscription = (context: CatalogueContext, id: string) => moveSubscription(context, id, 'cancelled');
