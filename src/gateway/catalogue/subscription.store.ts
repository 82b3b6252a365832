import type { Knex } from 'knex';

import type { PageRequest } from '../page.ts';
import type { Subscription, SubscriptionStatus } from './catalogue.types.ts';

/* Applications' subscriptions to plans, as rows. Only this file writes their SQL. */

interface SubscriptionRow {
  id: string;
  application_id: string;
  plan_id: string;
  status: SubscriptionStatus;
  created_at: Date;
  status_updated_at: Date;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return { id: row.id, applicationId: row.application_id, planId: row.plan_id, status: row.status, createdAt: row.created_at, statusUpdatedAt: row.status_updated_at };
}

export async function selectSubscription(db: Knex, id: string): Promise<Subscription | undefined> {
  const row: SubscriptionRow | undefined = await db('subscriptions').first('*').where({ id });
  return row && toSubscription(row);
}

/** The application's subscription to the plan, whatever its status (there is at most one). */
export async function selectSubscriptionOf(db: Knex, applicationId: string, planId: string): Promise<Subscription | undefined> {
  const row: SubscriptionRow | undefined = await db('subscriptions').first('*').where({ application_id: applicationId, plan_id: planId });
  return row && toSubscription(row);
}

/** A page of subscriptions by id, `limit + 1` rows, narrowed to an application or plan when given. */
export async function selectSubscriptionPage(db: Knex, page: PageRequest, filter: { applicationId?: string | undefined; planId?: string | undefined }): Promise<Subscription[]> {
  const query = db('subscriptions').select('*').orderBy('id').limit(page.limit + 1);
  if (page.after !== undefined) query.where('id', '>', page.after);
  if (filter.applicationId !== undefined) query.where({ application_id: filter.applicationId });
  if (filter.planId !== undefined) query.where({ plan_id: filter.planId });
  return (await query as SubscriptionRow[]).map(toSubscription);
}

export async function insertSubscription(db: Knex, row: { id: string; applicationId: string; planId: string; status: SubscriptionStatus; at: Date }): Promise<Subscription> {
  const [inserted] = await db('subscriptions')
    .insert({ id: row.id, application_id: row.applicationId, plan_id: row.planId, status: row.status, created_at: row.at, status_updated_at: row.at })
    .returning('*');
  return toSubscription(inserted);
}

/**
 * Moves a subscription to `to` if its status is one of `from`; undefined when it is not (or there
 * is no such subscription), so that two operators deciding at once cannot both win.
 */
export async function updateSubscriptionStatus(db: Knex, id: string, from: readonly SubscriptionStatus[], to: SubscriptionStatus, at: Date): Promise<Subscription | undefined> {
  const [updated] = await db('subscriptions').where({ id }).whereIn('status', from).update({ status: to, status_updated_at: at }).returning('*');
  return updated && toSubscription(updated);
}

/** The plans the application is actively subscribed to, by id. */
export async function selectActivePlanIds(db: Knex, applicationId: string): Promise<string[]> {
  const rows: Array<{ plan_id: string }> = await db('subscriptions').select('plan_id').where({ application_id: applicationId, status: 'active' }).orderBy('plan_id');
  return rows.map((row) => row.plan_id);
}

/** How many subscriptions to the plan are requested or active. */
export async function countOpenSubscriptions(db: Knex, planId: string): Promise<number> {
  const [{ count }] = await db('subscriptions').count({ count: '*' }).where({ plan_id: planId }).whereIn('status', ['requested', 'active']);
  return Number(count);
}

/** Deletes the plan's refused and cancelled subscriptions (a plan is deleted with its history of them). */
export async function deleteClosedSubscriptions(db: Knex, planId: string): Promise<void> {
  await db('subscriptions').where({ plan_id: planId }).whereIn('status', ['refused', 'cancelled']).delete();
}

/** A subscription waiting for an operator, with who asked and for what, as the console lists them. */
export interface SubscriptionRequest {
  subscriptionId: string;
  requestedAt: Date;
  applicationId: string;
  applicationName: string;
  organisationName: string;
  planId: string;
  planName: string;
  priceMinorUnits: number | null;
  currency: string | null;
}

/** Every subscription in `requested`, oldest first (the one waiting longest on top). */
export async function selectSubscriptionRequests(db: Knex): Promise<SubscriptionRequest[]> {
  const rows = await db('subscriptions as s').join('applications as a', 'a.id', 's.application_id').join('organisations as o', 'o.id', 'a.organisation_id').join('gateway_plans as p', 'p.id', 's.plan_id')
    .where('s.status', 'requested').orderBy([{ column: 's.status_updated_at' }, { column: 's.id' }])
    .select<Array<{ id: string; status_updated_at: Date; application_id: string; application_name: string; organisation_name: string; plan_id: string; plan_name: string; price_minor_units: string | number | null; currency: string | null }>>(
      's.id', 's.status_updated_at', 's.application_id', { application_name: 'a.name' }, { organisation_name: 'o.name' }, 's.plan_id', { plan_name: 'p.name' }, 'p.price_minor_units', 'p.currency',
    );
  return rows.map((row) => ({
    subscriptionId: row.id, requestedAt: new Date(row.status_updated_at), applicationId: row.application_id, applicationName: row.application_name, organisationName: row.organisation_name,
    planId: row.plan_id, planName: row.plan_name, priceMinorUnits: row.price_minor_units === null ? null : Number(row.price_minor_units), currency: row.currency,
  }));
}
