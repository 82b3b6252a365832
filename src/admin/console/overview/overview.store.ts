import type { Knex } from 'knex';

/** The figures the console's home shows: what the API programme holds today. */
export interface ConsoleOverview {
  /** APIs developers can call: published or deprecated. */
  liveApis: number;
  draftApis: number;
  plans: number;
  organisations: number;
  applications: number;
  suspendedApplications: number;
  /** Subscriptions to approval-required plans waiting for an operator. */
  pendingSubscriptions: number;
}

const count = async (query: Knex.QueryBuilder) => Number(((await query.count({ n: '*' }).first()) as { n: string | number }).n);

/** Counts, one query each (the home is read by people, a few times a day). */
export async function loadConsoleOverview(db: Knex): Promise<ConsoleOverview> {
  const [liveApis, draftApis, plans, organisations, applications, suspendedApplications, pendingSubscriptions] = await Promise.all([
    count(db('gateway_apis').whereIn('lifecycle', ['published', 'deprecated'])),
    count(db('gateway_apis').where({ lifecycle: 'draft' })),
    count(db('gateway_plans')),
    count(db('organisations')),
    count(db('applications')),
    count(db('applications').where({ status: 'suspended' })),
    count(db('subscriptions').where({ status: 'requested' })),
  ]);
  return { liveApis, draftApis, plans, organisations, applications, suspendedApplications, pendingSubscriptions };
}
