import type { Knex } from 'knex';

/*
 * What the console's APIs pages read of the analytics rollups: each API's calls over a range, and
 * who still calls one (the applications, their organisations and the organisations' owners, so
 * that a deprecated version's callers can be told before its sunset). Rollups have no foreign
 * keys (usage outlives what it counted), so applications and organisations are joined loosely.
 */

/** Calls per API id in `from <= minute < to`; an API without calls is absent. */
export async function selectApiCallCounts(db: Knex, range: { from: Date; to: Date }): Promise<Map<string, number>> {
  const rows: Array<{ api_id: string; calls: string | number }> = await db('analytics_minute_rollups')
    .select('api_id').sum({ calls: 'count' })
    .where('minute', '>=', range.from).andWhere('minute', '<', range.to).andWhere('api_id', '<>', '')
    .groupBy('api_id');
  return new Map(rows.map((row) => [row.api_id, Number(row.calls)]));
}

/** An application that called an API, with whom to tell about it. */
export interface ApiCaller {
  applicationId: string;
  /** Null when the application has since been deleted. */
  applicationName: string | null;
  organisationName: string | null;
  /** The organisation's owners' addresses, in order. */
  ownerEmails: string[];
  calls: number;
  /** The minute of its last call in the range. */
  lastCallAt: Date;
}

/** The applications that called `apiId` in `from <= minute < to`, most calls first (calls without an application are left out). */
export async function selectApiCallers(db: Knex, apiId: string, range: { from: Date; to: Date }): Promise<ApiCaller[]> {
  const rows = await db('analytics_minute_rollups as r')
    .leftJoin('applications as a', 'a.id', 'r.application_id')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select('r.application_id', { application_name: 'a.name' }, { organisation_id: 'o.id' }, { organisation_name: 'o.name' })
    .sum({ calls: 'r.count' }).max({ last_minute: 'r.minute' })
    .where('r.api_id', apiId).andWhere('r.minute', '>=', range.from).andWhere('r.minute', '<', range.to).andWhere('r.application_id', '<>', '')
    .groupBy('r.application_id', 'a.name', 'o.id', 'o.name')
    .orderBy([{ column: 'calls', order: 'desc' }, { column: 'r.application_id' }]) as Array<{ application_id: string; application_name: string | null; organisation_id: string | null; organisation_name: string | null; calls: string | number; last_minute: Date }>;
  const organisationIds = [...new Set(rows.flatMap((row) => (row.organisation_id ? [row.organisation_id] : [])))];
  const owners: Array<{ organisation_id: string; email: string }> = organisationIds.length === 0 ? [] : await db('organisation_members as m')
    .join('portal_developers as d', 'd.id', 'm.developer_id')
    .select('m.organisation_id', 'd.email').whereIn('m.organisation_id', organisationIds).andWhere('m.role', 'owner')
    .orderBy('d.email');
  return rows.map((row) => ({
    applicationId: row.application_id, applicationName: row.application_name, organisationName: row.organisation_name,
    ownerEmails: owners.filter((owner) => owner.organisation_id === row.organisation_id).map((owner) => owner.email),
    calls: Number(row.calls), lastCallAt: new Date(row.last_minute),
  }));
}
