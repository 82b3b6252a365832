import type { Middleware } from 'koa';

import type { AdminApiDependencies } from './admin-api.deps.ts';
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
  endpoint: (deps: AdminApiDependencies) => Middleware[];
}

/**
 * Every path of the admin API, its method and endpoint: the one list the router is built from and
 * that the OpenAPI document (`admin-api.openapi.ts`) is checked against.
 */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/v1/openapi.json', public: true, endpoint: serveOpenApiEndpoint },

  { method: 'GET', path: '/admin/v1/apis', endpoint: listApisEndpoint },
  { method: 'POST', path: '/admin/v1/apis', endpoint: createApiEndpoint },
  { method: 'GET', path: '/admin/v1/apis/{apiId}', endpoint: readApiEndpoint },
  { method: 'PUT', path: '/admin/v1/apis/{apiId}', endpoint: replaceApiEndpoint },
  { method: 'DELETE', path: '/admin/v1/apis/{apiId}', endpoint: deleteApiEndpoint },
  { method: 'POST', path: '/admin/v1/apis/{apiId}/lifecycle', endpoint: changeApiLifecycleEndpoint },

  { method: 'GET', path: '/admin/v1/plans', endpoint: listPlansEndpoint },
  { method: 'POST', path: '/admin/v1/plans', endpoint: createPlanEndpoint },
  { method: 'GET', path: '/admin/v1/plans/{planId}', endpoint: readPlanEndpoint },
  { method: 'PUT', path: '/admin/v1/plans/{planId}', endpoint: replacePlanEndpoint },
  { method: 'DELETE', path: '/admin/v1/plans/{planId}', endpoint: deletePlanEndpoint },

  { method: 'GET', path: '/admin/v1/organisations', endpoint: listOrganisationsEndpoint },
  { method: 'POST', path: '/admin/v1/organisations', endpoint: createOrganisationEndpoint },
  { method: 'GET', path: '/admin/v1/organisations/{organisationId}', endpoint: readOrganisationEndpoint },

  { method: 'GET', path: '/admin/v1/applications', endpoint: listApplicationsEndpoint },
  { method: 'POST', path: '/admin/v1/applications', endpoint: createApplicationEndpoint },
  { method: 'GET', path: '/admin/v1/applications/{applicationId}', endpoint: readApplicationEndpoint },
  { method: 'POST', path: '/admin/v1/applications/{applicationId}/suspend', endpoint: (deps) => setApplicationStatusEndpoint(deps, 'suspended') },
  { method: 'POST', path: '/admin/v1/applications/{applicationId}/reactivate', endpoint: (deps) => setApplicationStatusEndpoint(deps, 'active') },
  { method: 'GET', path: '/admin/v1/applications/{applicationId}/keys', endpoint: listApiKeysEndpoint },
  { method: 'POST', path: '/admin/v1/applications/{applicationId}/keys', endpoint: issueApiKeyEndpoint },
  { method: 'POST', path: '/admin/v1/keys/{keyId}/rotate', endpoint: rotateApiKeyEndpoint },
  { method: 'POST', path: '/admin/v1/keys/{keyId}/revoke', endpoint: revokeApiKeyEndpoint },

  { method: 'GET', path: '/admin/v1/subscriptions', endpoint: listSubscriptionsEndpoint },
  { method: 'POST', path: '/admin/v1/subscriptions', endpoint: createSubscriptionEndpoint },
  { method: 'GET', path: '/admin/v1/subscriptions/{subscriptionId}', endpoint: readSubscriptionEndpoint },
  { method: 'POST', path: '/admin/v1/subscriptions/{subscriptionId}/approve', endpoint: (deps) => decideSubscriptionEndpoint(deps, 'approve') },
  { method: 'POST', path: '/admin/v1/subscriptions/{subscriptionId}/refuse', endpoint: (deps) => decideSubscriptionEndpoint(deps, 'refuse') },
  { method: 'POST', path: '/admin/v1/subscriptions/{subscriptionId}/cancel', endpoint: (deps) => decideSubscriptionEndpoint(deps, 'cancel') },
];
