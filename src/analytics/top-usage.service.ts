import type { Knex } from 'knex';

import { topRollupsBy, type UsageTotalRow } from './rollup.store.ts';

/* The busiest APIs and applications over a range, from the minute rollups, for the console's overview. */

export interface UsageTotal {
  /** An API's or application's id. */
  id: string;
  calls: number;
  clientErrors: number;
  serverErrors: number;
}

export interface TopUsage {
  apis: UsageTotal[];
  applications: UsageTotal[];
}

const totalOf = (row: UsageTotalRow): UsageTotal => ({ id: row.key, calls: Number(row.count), clientErrors: Number(row.client_errors), serverErrors: Number(row.server_errors) });

/** The `limit` APIs and applications with the most calls in `from <= minute < to`, most first. */
export async function topUsage(db: Knex, range: { from: Date; to: Date; limit: number }): Promise<TopUsage> {
  const [apis, applications] = await Promise.all([topRollupsBy(db, 'api_id', range), topRollupsBy(db, 'application_id', range)]);
  return { apis: apis.map(totalOf), applications: applications.map(totalOf) };
}
