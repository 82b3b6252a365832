import type { Knex } from 'knex';

/*
 * What the analytics name and count besides the rollups: the APIs, routes and applications an
 * operator filters by (as the catalogue holds them now), and the consents live at the bank.
 */

export interface ApiChoice {
  id: string;
  name: string;
  version: string;
}

export interface RouteChoice {
  id: string;
  apiId: string;
  method: string;
  pathTemplate: string;
}

export interface ApplicationChoice {
  id: string;
  name: string;
  organisationName: string;
}

export interface AnalyticsChoices {
  apis: ApiChoice[];
  routes: RouteChoice[];
  applications: ApplicationChoice[];
}

/**
 * Every API (retired ones too: their calls are still counted), route and application, by name;
 * with `only`, just those APIs, routes and applications, to name a few ids.
 */
export async function loadAnalyticsChoices(db: Knex, only?: { apiIds: readonly string[]; routeIds: readonly string[]; applicationIds: readonly string[] }): Promise<AnalyticsChoices> {
  const apis = db('gateway_apis').select('id', 'name', 'version').orderBy([{ column: 'name' }, { column: 'version' }, { column: 'id' }]);
  const routes = db('gateway_routes').select('id', { apiId: 'api_id' }, 'method', { pathTemplate: 'path_template' }).orderBy([{ column: 'path_template' }, { column: 'method' }]);
  const applications = db('applications').join('organisations', 'organisations.id', 'applications.organisation_id')
    .select('applications.id', 'applications.name', { organisationName: 'organisations.name' })
    .orderBy([{ column: 'applications.name' }, { column: 'applications.id' }]);
  if (only) {
    apis.whereIn('id', only.apiIds);
    routes.whereIn('id', only.routeIds);
    applications.whereIn('applications.id', only.applicationIds);
  }
  const [apiRows, routeRows, applicationRows] = await Promise.all([apis, routes, applications]);
  return { apis: apiRows as ApiChoice[], routes: routeRows as RouteChoice[], applications: applicationRows as ApplicationChoice[] };
}

/**
 * Consents a partner may use now: authorised and not past their expiry. `now` is the caller's
 * clock, not the database's, so that a test's clock decides.
 */
export async function countActiveConsents(db: Knex, now: Date): Promise<number> {
  const row = await db('consents').where({ status: 'Authorised' })
    .andWhere((where) => where.whereNull('expires_at').orWhere('expires_at', '>', now))
    .count({ n: '*' }).first() as { n: string | number };
  return Number(row.n);
}
