import type { Knex } from 'knex';

import type { ServiceContext } from '../../../events/service-context.ts';
import { getPlan } from '../../../gateway/catalogue/plans.service.ts';
import type { GatewayPlan } from '../../../gateway/catalogue/catalogue.types.ts';
import { getApplication, getOrganisation } from '../../../gateway/consumers/consumer-listing.service.ts';
import { applicationsOf, listApiKeys, type ApiKeyRow, type ApplicationRow, type OrganisationRow } from '../../../gateway/consumers/consumer.store.ts';
import { pageOf, type Page } from '../../../gateway/page.ts';
import { membersOf, type Member } from '../../../portal/organisations/membership.store.ts';
import { applicationUsage, type AppUsage, type UsagePeriod } from '../../../portal/usage/app-usage.service.ts';
import {
  countApplicationsOf, selectApplicationsNamed, selectClientName, selectMembersOf, selectOrganisationMatches, selectSubscriptionsOf,
  type OrganisationMember, type PlanSubscription,
} from './organisations.store.ts';

/*
 * The console's view of who calls the APIs: organisations found by their name, an application's
 * name or a member's email address; an organisation with its members and applications; an
 * application with its subscriptions, keys, linked Open Banking client and usage (the portal's
 * own figures). Unknown ids throw `ConsumerNotFound`, as the admin API's reads do.
 */

/** Organisations a search page lists. */
export const ORGANISATIONS_PER_PAGE = 20;

export interface OrganisationListing extends OrganisationRow {
  applicationCount: number;
  members: OrganisationMember[];
  /** The organisation's applications whose name the search text is in (none without a text). */
  matchingApplications: ApplicationRow[];
}

/** A page of organisations matching `text` (all of them without one), after the organisation `after`. */
export async function searchOrganisations(db: Knex, text: string | undefined, after: string | undefined): Promise<Page<OrganisationListing>> {
  const page = pageOf(await selectOrganisationMatches(db, { text, after, limit: ORGANISATIONS_PER_PAGE }), ORGANISATIONS_PER_PAGE);
  const ids = page.items.map((organisation) => organisation.id);
  if (ids.length === 0) return { items: [], next: null };
  const [counts, members, named] = await Promise.all([
    countApplicationsOf(db, ids), selectMembersOf(db, ids), text ? selectApplicationsNamed(db, ids, text) : Promise.resolve([]),
  ]);
  return {
    next: page.next,
    items: page.items.map((organisation) => ({
      ...organisation,
      applicationCount: counts.get(organisation.id) ?? 0,
      members: members.filter((member) => member.organisationId === organisation.id),
      matchingApplications: named.filter((application) => application.organisation_id === organisation.id),
    })),
  };
}

export interface OrganisationView {
  organisation: OrganisationRow;
  members: Member[];
  applications: Array<ApplicationRow & { subscriptions: PlanSubscription[] }>;
}

export async function viewOrganisation(db: Knex, organisationId: string): Promise<OrganisationView> {
  const organisation = await getOrganisation(db, organisationId);
  const [members, applications] = await Promise.all([membersOf(db, organisationId), applicationsOf(db, organisationId)]);
  const subscriptions = await selectSubscriptionsOf(db, applications.map((application) => application.id));
  return {
    organisation, members,
    applications: applications.map((application) => ({ ...application, subscriptions: subscriptions.filter((subscription) => subscription.applicationId === application.id) })),
  };
}

export interface ApplicationView {
  application: ApplicationRow;
  organisation: OrganisationRow;
  subscriptions: PlanSubscription[];
  keys: ApiKeyRow[];
  /** The Open Banking client the application calls with, when it is linked to one. */
  client: { clientId: string; name: string | undefined } | undefined;
  usage: Pick<AppUsage, 'days' | 'quotas'>;
}

export async function viewApplication(deps: Pick<ServiceContext, 'db' | 'clock'>, applicationId: string, period: UsagePeriod): Promise<ApplicationView> {
  const application = await getApplication(deps.db, applicationId);
  const [organisation, subscriptions, keys, clientName] = await Promise.all([
    getOrganisation(deps.db, application.organisation_id),
    selectSubscriptionsOf(deps.db, [applicationId]),
    listApiKeys(deps.db, applicationId),
    application.client_id ? selectClientName(deps.db, application.client_id) : Promise.resolve(undefined),
  ]);
  const activePlans: GatewayPlan[] = await Promise.all(subscriptions.filter((subscription) => subscription.status === 'active').map((subscription) => getPlan(deps.db, subscription.planId)));
  return {
    application, organisation, subscriptions, keys,
    client: application.client_id ? { clientId: application.client_id, name: clientName } : undefined,
    usage: await applicationUsage(deps, applicationId, period, activePlans),
  };
}
