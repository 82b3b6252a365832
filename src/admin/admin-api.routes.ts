import type { Middleware } from 'koa';

import { getApi } from '../gateway/catalogue/catalogue.service.ts';
import { getPlan } from '../gateway/catalogue/plans.service.ts';
import { getSubscription } from '../gateway/catalogue/subscriptions.service.ts';
import { getApplication } from '../gateway/consumers/consumer-listing.service.ts';
import { findApiKey, listApiKeys } from '../gateway/consumers/consumer.store.ts';
import type { AdminApiDependencies } from './admin-api.deps.ts';
import type { OperatorRight } from './operators/operator-role.ts';
import { serveOpenApiEndpoint } from './endpoints/openapi.endpoint.ts';
import { changeApiLifecycleEndpoint, createApiEndpoint, deleteApiEndpoint, listApisEndpoint, readApiEndpoint, replaceApiEndpoint } from './endpoints/api.endpoints.ts';
import { issueApiKeyEndpoint, revokeApiKeyEndpoint, rotateApiKeyEndpoint } from './endpoints/api-key.endpoints.ts';
import { createApplicationEndpoint, createOrganisationEndpoint, listApiKeysEndpoint, listApplicationsEndpoint, listOrganisationsEndpoint, readApplicationEndpoint, readOrganisationEndpoint, setApplicationStatusEndpoint } from './endpoints/consumer.endpoints.ts';
import { createPlanEndpoint, deletePlanEndpoint, listPlansEndpoint, readPlanEndpoint, replacePlanEndpoint } from './endpoints/plan.endpoints.ts';
import { createSubscriptionEndpoint, decideSubscriptionEndpoint, listSubscriptionsEndpoint, readSubscriptionEndpoint } from './endpoints/subscription.endpoints.ts';

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** As the OpenAPI document writes it: `/admin/v1/apis/{apiId}`. */
  path: string;
  /** Served without the admin token (only the API's own description). */
  public?: true;
  /** The right the caller's role needs: `read` for a GET, `operate` for a change, unless given. */
  right?: OperatorRight;
  /** Reads what the route changes, for the audit log's before and after (absent for a collection's POST: the answer is the after). */
  subject?: (deps: AdminApiDependencies, params: Record<string, string>) => Promise<unknown>;
  endpoint: (deps: AdminApiDependencies) => Middleware[];
}

const api = (deps: AdminApiDependencies, params: Record<string, string>) => getApi(deps.catalogue.db, params['apiId']!);
const plan = (deps: AdminApiDependencies, params: Record<string, string>) => getPlan(deps.catalogue.db, params['planId']!);
const application = (deps: AdminApiDependencies, params: Record<string, string>) => getApplication(deps.catalogue.db, params['applicationId']!);
const subscription = (deps: AdminApiDependencies, params: Record<string, string>) => getSubscription(deps.catalogue.db, params['subscriptionId']!);
const apiKey = (deps: AdminApiDependencies, params: Record<string, string>) => findApiKey(deps.catalogue.db, params['keyId']!);
/** An API key's application's keys, for the issue of a new one. */
const keysOf = (deps: AdminApiDependencies, params: Record<string, string>) => listApiKeys(deps.catalogue.db, params['applicationId']!);

/**
 * Every path of the admin API, its method and endpoint: the one list the router is built from and
 * that the OpenAPI document (`admin-api.openapi.ts`) is checked against.
 */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/v1/openapi.json', public: true, endpoint: serveOpenApiEndpoint },

  { method: 'GET', path: '/admin/v1/apis', endpoint: listApisEndpoint },
  { method: 'POST', path: '/admin/v1/apis', endpoint: createApiEndpoint },
  { method: 'GET', path: '/admin/v1/apis/{apiId}', endpoint: readApiEndpoint },
  { method: 'PUT', path: '/admin/v1/apis/{apiId}', subject: api, endpoint: replaceApiEndpoint },
  { method: 'DELETE', path: '/admin/v1/apis/{apiId}', subject: api, endpoint: deleteApiEndpoint },
  { method: 'POST', path: '/admin/v1/apis/{apiId}/lifecycle', subject: api, endpoint: changeApiLifecycleEndpoint },

  { method: 'GET', path: '/admin/v1/plans', endpoint: listPlansEndpoint },
  { method: 'POST', path: '/admin/v1/plans', endpoint: createPlanEndpoint },
  { method: 'GET', path: '/admin/v1/plans/{planId}', endpoint: readPlanEndpoint },
  { method: 'PUT', path: '/admin/v1/plans/{planId}', subject: plan, endpoint: replacePlanEndpoint },
  { method: 'DELETE', path: '/admin/v1/plans/{planId}', subject: plan, endpoint: deletePlanEndpoint },

  { method: 'GET', path: '/admin/v1/organisations', endpoint: listOrganisationsEndpoint },
  { method: 'POST', path: '/admin/v1/organisations', endpoint: createOrganisationEndpoint },
  { method: 'GET', path: '/admin/v1/organisations/{organisationId}', endpoint: readOrganisationEndpoint },

  { method: 'GET', path: '/admin/v1/applications', endpoint: listApplicationsEndpoint },
  { method: 'POST', path: '/admin/v1/applications', endpoint: createApplicationEndpoint },
  { method: 'GET', path: '/admin/v1/applications/{applicationId}', endpoint: readApplicationEndpoint },
  { method: 'POST', path: '/admin/v1/applications/{applicationId}/suspend', subject: application, endpoint: (deps) => setApplicationStatusEndpoint(deps, 'suspended') },
  { method: 'POST', path: '/admin/v1/applications/{applicationId}/reactivate', subject: application, endpoint: (deps) => setApplicationStatusEndpoint(deps, 'active') },
  { method: 'GET', path: '/admin/v1/applications/{applicationId}/keys', endpoint: listApiKeysEndpoint },
  { method: 'POST', path: '/admin/v1/applications/{applicationId}/keys', subject: keysOf, endpoint: issueApiKeyEndpoint },
  { method: 'POST', path: '/admin/v1/keys/{keyId}/rotate', subject: apiKey, endpoint: rotateApiKeyEndpoint },
  { method: 'POST', path: '/admin/v1/keys/{keyId}/revoke', subject: apiKey, endpoint: revokeApiKeyEndpoint },

  { method: 'GET', path: '/admin/v1/subscriptions', endpoint: listSubscriptionsEndpoint },
  { method: 'POST', path: '/admin/v1/subscriptions', endpoint: createSubscriptionEndpoint },
  { method: 'GET', path: '/admin/v1/subscriptions/{subscriptionId}', endpoint: readSubscriptionEndpoint },
  { method: 'POST', path: '/admin/v1/subscriptions/{subscriptionId}/approve', subject: subscription, endpoint: (deps) => decideSubscriptionEndpoint(deps, 'approve') },
  { method: 'POST', path: '/admin/v1/subscriptions/{subscriptionId}/refuse', subject: subscription, endpoint: (deps) => decideSubscriptionEndpoint(deps, 'refuse') },
  { method: 'POST', path: '/admin/v1/subscriptions/{subscriptionId}/cancel', subject: subscription, endpoint: (deps) => decideSubscriptionEndpoint(deps, 'cancel') },
];
