import type { Knex } from 'knex';

/** How many applications hold each plan: subscribed (active) and waiting for approval (requested). */
export interface PlanSubscribers {
  active: number;
  requested: number;
}

/** Subscribers per plan id; a plan nobody subscribed to is absent. */
export async function selectPlanSubscribers(db: Knex): Promise<Map<string, PlanSubscribers>> {
  const rows: Array<{ plan_id: string; active: string | number; requested: string | number }> = await db('subscriptions')
    .select('plan_id', db.raw("count(*) filter (where status = 'active') as active"), db.raw("count(*) filter (where status = 'requested') as requested"))
    .groupBy('plan_id');
  return new Map(rows.map((row) => [row.plan_id, { active: Number(row.active), requested: Number(row.requested) }]));
}
