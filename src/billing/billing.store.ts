import type { Knex } from 'knex';

import type { BillingLine, BillingMonthStatus, PushState } from './billing.types.ts';

/* Billing months, lines and customers, as rows; the usage and subscriptions a run reads. Only this file writes their SQL. */

export interface BillingMonthRow {
  month: string;
  status: BillingMonthStatus;
  run_at: Date;
  run_by: string;
  closed_at: Date | null;
  closed_by: string | null;
}

interface BillingLineRow {
  id: string;
  month: string;
  organisation_id: string;
  organisation_name: string;
  application_id: string;
  application_name: string;
  plan_id: string;
  plan_name: string;
  calls: string | number;
  quota_per_month: string | number | null;
  amount_minor_units: string | number;
  currency: string | null;
  push_state: PushState | null;
  push_provider: string | null;
  push_reference: string | null;
  push_error: string | null;
  push_attempts: number;
  pushed_at: Date | null;
}

function toLine(row: BillingLineRow): BillingLine {
  return {
    id: row.id, month: row.month, organisationId: row.organisation_id, organisationName: row.organisation_name, applicationId: row.application_id, applicationName: row.application_name,
    planId: row.plan_id, planName: row.plan_name, calls: Number(row.calls), quotaPerMonth: row.quota_per_month === null ? null : Number(row.quota_per_month),
    amountMinorUnits: Number(row.amount_minor_units), currency: row.currency,
    push: { state: row.push_state, provider: row.push_provider, reference: row.push_reference, error: row.push_error, attempts: row.push_attempts, at: row.pushed_at && new Date(row.pushed_at) },
  };
}

/** An application's subscription to a plan in a month, with what a line is made of: the line's subject and usage, and the plan's price. */
export type SubscribedUsage = Pick<BillingLine, 'organisationId' | 'organisationName' | 'applicationId' | 'applicationName' | 'planId' | 'planName' | 'quotaPerMonth' | 'currency' | 'calls'> & {
  priceMinorUnits: number | null;
};

/**
 * Who was subscribed to which plan in [start, end), with their billable calls. Subscribed means a
 * subscription active now and since before the month's end, or calls counted under the plan in
 * the month (the gateway counts a call under a plan only while the subscription is active, so
 * that covers one cancelled since). Billable calls are the month's rollups under the plan, for the
 * plan's APIs, except those the plan's own limits refused (429) and those that failed on our side
 * or upstream (5xx). Applications and plans since deleted are left out: there is no one to bill,
 * or no price to bill at.
 */
export async function selectSubscribedUsage(db: Knex, start: Date, end: Date): Promise<SubscribedUsage[]> {
  const rows = await db.raw<{ rows: Array<Record<string, unknown>> }>(`
    with usage as (
      select r.application_id, r.plan_id, sum(r.count) as calls
      from analytics_minute_rollups r
      join gateway_plan_apis pa on pa.plan_id = r.plan_id and pa.api_id = r.api_id
      where r.minute >= :start and r.minute < :end and r.application_id <> '' and r.status <> 429 and r.status < 500
      group by r.application_id, r.plan_id
    ), subscribed as (
      select application_id, plan_id from subscriptions where status = 'active' and status_updated_at < :end
      union
      select application_id, plan_id from usage
    )
    select o.id as organisation_id, o.name as organisation_name, a.id as application_id, a.name as application_name,
      p.id as plan_id, p.name as plan_name, p.quota_per_month, p.price_minor_units, p.currency, coalesce(u.calls, 0) as calls
    from subscribed s
    join applications a on a.id = s.application_id
    join organisations o on o.id = a.organisation_id
    join gateway_plans p on p.id = s.plan_id
    left join usage u on u.application_id = s.application_id and u.plan_id = s.plan_id
    order by o.name, a.name, p.name, a.id, p.id`, { start, end });
  const num = (value: unknown) => (value === null ? null : Number(value));
  return rows.rows.map((row) => ({
    organisationId: String(row['organisation_id']), organisationName: String(row['organisation_name']), applicationId: String(row['application_id']), applicationName: String(row['application_name']),
    planId: String(row['plan_id']), planName: String(row['plan_name']), quotaPerMonth: num(row['quota_per_month']), priceMinorUnits: num(row['price_minor_units']),
    currency: row['currency'] === null ? null : String(row['currency']), calls: Number(row['calls']),
  }));
}

/** The month's row, locked until the transaction ends when `forUpdate`, so that two runs of one month take turns. */
export async function selectMonth(db: Knex, month: string, forUpdate = false): Promise<BillingMonthRow | undefined> {
  const query = db('billing_months').first('*').where({ month });
  return forUpdate ? query.forUpdate() : query;
}

/** Every month run, newest first. */
export async function selectMonths(db: Knex): Promise<BillingMonthRow[]> {
  return db('billing_months').select('*').orderBy('month', 'desc');
}

/** Records a run of an open month (a new one, or again), or its closing. */
export async function writeMonth(db: Knex, row: BillingMonthRow): Promise<void> {
  await db('billing_months').insert(row).onConflict('month').merge();
}

/** Replaces an open month's lines with `lines`, push state and all (drafts are never pushed). */
export async function replaceLines(db: Knex, month: string, lines: ReadonlyArray<Omit<BillingLine, 'push'>>): Promise<void> {
  await db('billing_lines').where({ month }).delete();
  if (lines.length === 0) return;
  await db('billing_lines').insert(lines.map((line) => ({
    id: line.id, month, organisation_id: line.organisationId, organisation_name: line.organisationName, application_id: line.applicationId, application_name: line.applicationName,
    plan_id: line.planId, plan_name: line.planName, calls: line.calls, quota_per_month: line.quotaPerMonth, amount_minor_units: line.amountMinorUnits, currency: line.currency,
  })));
}

/** The months' lines, by organisation, application and plan. */
export async function selectLines(db: Knex, months: readonly string[]): Promise<BillingLine[]> {
  const rows: BillingLineRow[] = await db('billing_lines').select('*').whereIn('month', months).orderBy(['month', 'organisation_name', 'application_name', 'plan_name', 'id']);
  return rows.map(toLine);
}

/** Marks a line's send as under way (one more attempt), before the provider is called. */
export async function markPushPending(db: Knex, id: string, provider: string, at: Date): Promise<void> {
  await db('billing_lines').where({ id }).update({ push_state: 'pending', push_provider: provider, push_error: null, pushed_at: at, push_attempts: db.raw('push_attempts + 1') });
}

/** What the provider answered for a line's send. */
export async function markPushOutcome(db: Knex, id: string, outcome: { state: 'sent'; reference: string | null } | { state: 'failed'; error: string }, at: Date): Promise<void> {
  await db('billing_lines').where({ id }).update(outcome.state === 'sent'
    ? { push_state: 'sent', push_reference: outcome.reference, push_error: null, pushed_at: at }
    : { push_state: 'failed', push_error: outcome.error, pushed_at: at });
}

/** The payment provider's customer id of each organisation that has one. */
export async function selectCustomerIds(db: Knex, organisationIds: readonly string[]): Promise<Map<string, string>> {
  const rows: Array<{ organisation_id: string; customer_id: string }> = await db('billing_customers').select('organisation_id', 'customer_id').whereIn('organisation_id', organisationIds);
  return new Map(rows.map((row) => [row.organisation_id, row.customer_id]));
}

export async function selectCustomerId(db: Knex, organisationId: string): Promise<string | undefined> {
  return (await selectCustomerIds(db, [organisationId])).get(organisationId);
}

/** Sets the organisation's customer id at the payment provider. */
export async function writeCustomerId(db: Knex, organisationId: string, customerId: string, at: Date): Promise<void> {
  await db('billing_customers').insert({ organisation_id: organisationId, customer_id: customerId, updated_at: at }).onConflict('organisation_id').merge();
}
