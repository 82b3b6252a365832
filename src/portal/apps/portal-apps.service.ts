import type { CatalogueContext } from '../../gateway/catalogue/catalogue-transaction.ts';
import { CatalogueConflict, CatalogueNotFound } from '../../gateway/catalogue/catalogue-errors.ts';
import type { GatewayPlan, Subscription } from '../../gateway/catalogue/catalogue.types.ts';
import { listPlans } from '../../gateway/catalogue/plans.service.ts';
import { cancelSubscription, listSubscriptions, subscribe } from '../../gateway/catalogue/subscriptions.service.ts';
import { applicationsOf, findApiKey, findApplication, listApiKeys, type ApiKeyRow, type ApplicationRow } from '../../gateway/consumers/consumer.store.ts';
import { ConsumerNotFound, createApplication, issueApiKey, revokeApplicationKey, rotateApiKey, type IssuedApiKey } from '../../gateway/consumers/consumers.service.ts';
import type { ServiceContext } from '../../events/service-context.ts';
import { ROLE_RIGHTS } from '../organisations/member-role.ts';
import { findMembership, type Membership } from '../organisations/membership.store.ts';
import { membershipOf } from '../organisations/organisations.service.ts';
import { PortalPageError } from '../portal-page-error.ts';
import type { SignedInDeveloper } from '../session/portal-sessions.ts';

/*
 * Applications as developers run them in the portal, through the gateway's own services (the
 * console and the admin API use the same ones): every action first checks that the developer is a
 * member of the application's organisation with the right to manage its applications. An
 * application of another organisation is "not found", like an unknown one.
 */

const NO_APP = 'There is no such application, or it is not one of your organisations\'.';
const NO_KEY = 'That key is not one of this application\'s, or it has been revoked or has expired already.';
/** More plans than a tier list ever has; the page lists them all. */
const PLANS_LISTED = 200;

const asPartner = (deps: ServiceContext): CatalogueContext => ({ ...deps, actor: 'partner' });

/** The application, when the developer may manage it: 404 for an unknown one or another organisation's, 403 for a role without the right. */
export async function appFor(deps: ServiceContext, developer: SignedInDeveloper, applicationId: string): Promise<{ application: ApplicationRow; membership: Membership }> {
  const application = await findApplication(deps.db, applicationId);
  const membership = application && await findMembership(deps.db, application.organisation_id, developer.id);
  if (!application || !membership) throw new PortalPageError(404, NO_APP);
  if (!ROLE_RIGHTS[membership.role].manageApps) throw new PortalPageError(403, 'Your role in this organisation does not manage applications.');
  return { application, membership };
}

/** The organisation's applications, for its page. */
export const applicationsOfOrganisation = (deps: Pick<ServiceContext, 'db'>, organisationId: string): Promise<ApplicationRow[]> => applicationsOf(deps.db, organisationId);

export async function createAppFor(deps: ServiceContext, developer: SignedInDeveloper, organisationId: string, name: string): Promise<ApplicationRow> {
  const membership = await membershipOf(deps, organisationId, developer.id);
  if (!ROLE_RIGHTS[membership.role].manageApps) throw new PortalPageError(403, 'Your role in this organisation does not manage applications.');
  return createApplication(deps, { organisationId, name });
}

export interface AppView {
  application: ApplicationRow;
  membership: Membership;
  subscriptions: Array<Subscription & { plan: GatewayPlan | undefined }>;
  /** Plans the application holds no requested or active subscription to. */
  plansOffered: GatewayPlan[];
  keys: ApiKeyRow[];
}

export async function viewApp(deps: ServiceContext, developer: SignedInDeveloper, applicationId: string): Promise<AppView> {
  const { application, membership } = await appFor(deps, developer, applicationId);
  const [plans, subscriptions, keys] = await Promise.all([
    listPlans(deps.db, { limit: PLANS_LISTED, after: undefined }),
    listSubscriptions(deps.db, { limit: PLANS_LISTED, after: undefined }, { applicationId }),
    listApiKeys(deps.db, applicationId),
  ]);
  const planById = new Map(plans.items.map((plan) => [plan.id, plan]));
  const open = subscriptions.items.filter((subscription) => subscription.status === 'requested' || subscription.status === 'active');
  return {
    application, membership, keys,
    subscriptions: open.map((subscription) => ({ ...subscription, plan: planById.get(subscription.planId) })),
    plansOffered: plans.items.filter((plan) => !open.some((subscription) => subscription.planId === plan.id)),
  };
}

/** Subscribes the application: at once to a self-service plan, as a request to any other. */
export async function subscribeApp(deps: ServiceContext, developer: SignedInDeveloper, applicationId: string, planId: string): Promise<Subscription> {
  await appFor(deps, developer, applicationId);
  try {
    return await subscribe(asPartner(deps), { applicationId, planId });
  } catch (error) {
    if (error instanceof CatalogueNotFound) throw new PortalPageError(404, 'That plan is not offered any more.');
    if (error instanceof CatalogueConflict) throw new PortalPageError(409, 'The application is subscribed to that plan already, or has asked for it.');
    throw error;
  }
}

export async function cancelAppSubscription(deps: ServiceContext, developer: SignedInDeveloper, applicationId: string, subscriptionId: string): Promise<void> {
  await appFor(deps, developer, applicationId);
  const subscriptions = await listSubscriptions(deps.db, { limit: PLANS_LISTED, after: undefined }, { applicationId });
  if (!subscriptions.items.some((subscription) => subscription.id === subscriptionId)) throw new PortalPageError(404, 'That subscription is not one of this application\'s.');
  try {
    await cancelSubscription(asPartner(deps), subscriptionId);
  } catch (error) {
    if (error instanceof CatalogueConflict) throw new PortalPageError(409, 'That subscription has ended already.');
    throw error;
  }
}

export async function issueAppKey(deps: ServiceContext, developer: SignedInDeveloper, applicationId: string): Promise<IssuedApiKey> {
  await appFor(deps, developer, applicationId);
  return issueApiKey(deps, applicationId);
}

/** A key of this application, live or not. */
async function keyOf(deps: ServiceContext, applicationId: string, keyId: string): Promise<ApiKeyRow> {
  const key = await findApiKey(deps.db, keyId);
  if (!key || key.application_id !== applicationId) throw new PortalPageError(404, NO_KEY);
  return key;
}

export async function rotateAppKey(deps: ServiceContext, developer: SignedInDeveloper, applicationId: string, keyId: string, overlapSeconds: number): Promise<IssuedApiKey & { previousExpiresAt: Date }> {
  await appFor(deps, developer, applicationId);
  await keyOf(deps, applicationId, keyId);
  try {
    return await rotateApiKey(deps, keyId, overlapSeconds);
  } catch (error) {
    if (error instanceof ConsumerNotFound) throw new PortalPageError(404, NO_KEY);
    throw error;
  }
}

export async function revokeAppKey(deps: ServiceContext, developer: SignedInDeveloper, applicationId: string, keyId: string): Promise<ApiKeyRow> {
  await appFor(deps, developer, applicationId);
  await keyOf(deps, applicationId, keyId);
  try {
    return await revokeApplicationKey(deps, keyId);
  } catch (error) {
    if (error instanceof ConsumerNotFound) throw new PortalPageError(404, NO_KEY);
    throw error;
  }
}
