import type { Middleware } from 'koa';

import { getApi } from '../gateway/catalogue/catalogue.service.ts';
import { getPlan } from '../gateway/catalogue/plans.service.ts';
import { getSubscription } from '../gateway/catalogue/subscriptions.service.ts';
import { getOperatorToken } from './operators/operator-tokens.service.ts';
import { createOperatorTokenEndpoint, listOperatorTokensEndpoint, revokeOperatorTokenEndpoint } from './endpoints/operator-token.endpoints.ts';
import { getBillingCustomer } from '../billing/billing-customers.service.ts';
import { getBillingMonthSummary } from '../billing/billing-months.service.ts';
import { getApplication } from '../gateway/consumers/consumer-listing.service.ts';
import { findApiKey, listApiKeys } from '../gateway/consumers/consumer.store.ts';
import type { AdminApiDependencies } from './admin-api.deps.ts';
import type { OperatorRight } from './operators/operator-role.ts';
import { serveOpenApiEndpoint } from './endpoints/openapi.endpoint.ts';
import { analyticsEndpoint, overviewEndpoint } from './endpoints/analytics.endpoints.ts';
import { changeApiLifecycleEndpoint, createApiEndpoint, deleteApiEndpoint, listApisEndpoint, readApiEndpoint, replaceApiEndpoint } from './endpoints/api.endpoints.ts';
import { issueApiKeyEndpoint, revokeApiKeyEndpoint, rotateApiKeyEndpoint } from './endpoints/api-key.endpoints.ts';
import { createApplicationEndpoint, createOrganisationEndpoint, listApiKeysEndpoint, listApplicationsEndpoint, listOrganisationsEndpoint, readApplicationEndpoint, readOrganisationEndpoint, setApplicationStatusEndpoint } from './endpoints/consumer.endpoints.ts';
import { createPlanEndpoint, deletePlanEndpoint, listPlansEndpoint, readPlanEndpoint, replacePlanEndpoint } from './endpoints/plan.endpoints.ts';
import { closeBillingMonthEndpoint, exportBillingMonthEndpoint, listBillingMonthsEndpoint, pushBillingMonthEndpoint, readBillingMonthEndpoint, runBillingMonthEndpoint, setBillingCustomerEndpoint } from './endpoints/billing.endpoints.ts';
import { listObClientsEndpoint, listObConsentsEndpoint, readObClientEndpoint, readObConsentEndpoint, removeObClientEndpoint, revokeObConsentEndpoint, setObClientStatusEndpoint } from './endpoints/open-banking.endpoints.ts';
import { readPartner } from './openbanking/ob-partners.service.ts';
import { consentAuditSubject } from './openbanking/ob-consents.service.ts';
import { exportAuditEndpoint, readAuditEntryEndpoint, searchAuditEndpoint, verifyAuditEndpoint } from './endpoints/audit.endpoints.ts';
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
const operatorToken = (deps: AdminApiDependencies, params: Record<string, string>) => getOperatorToken({ db: deps.catalogue.db, clock: deps.catalogue.clock }, undefined, params['tokenId']!);
const apiKey = (deps: AdminApiDependencies, params: Record<string, string>) => findApiKey(deps.catalogue.db, params['keyId']!);
const billingMonth = (deps: AdminApiDependencies, params: Record<string, string>) => getBillingMonthSummary(deps.catalogue.db, params['month']!);
const billingCustomer = (deps: AdminApiDependencies, params: Record<string, string>) => getBillingCustomer(deps.catalogue, params['organisationId']!);
const obClient = (deps: AdminApiDependencies, params: Record<string, string>) => readPartner(deps.catalogue.db, params['clientId']!, deps.catalogue.clock.now());
const obConsent = (deps: AdminApiDependencies, params: Record<string, string>) => consentAuditSubject(deps.catalogue.db, params['consentId']!);
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

  { method: 'GET', path: '/admin/v1/openbanking/clients', endpoint: listObClientsEndpoint },
  { method: 'GET', path: '/admin/v1/openbanking/clients/{clientId}', endpoint: readObClientEndpoint },
  { method: 'POST', path: '/admin/v1/openbanking/clients/{clientId}/suspend', subject: obClient, endpoint: (deps) => setObClientStatusEndpoint(deps, 'suspended') },
  { method: 'POST', path: '/admin/v1/openbanking/clients/{clientId}/reactivate', subject: obClient, endpoint: (deps) => setObClientStatusEndpoint(deps, 'active') },
  { method: 'DELETE', path: '/admin/v1/openbanking/clients/{clientId}', subject: obClient, endpoint: removeObClientEndpoint },
  { method: 'GET', path: '/admin/v1/openbanking/consents', endpoint: listObConsentsEndpoint },
  { method: 'GET', path: '/admin/v1/openbanking/consents/{consentId}', endpoint: readObConsentEndpoint },
  { method: 'POST', path: '/admin/v1/openbanking/consents/{consentId}/revoke', subject: obConsent, endpoint: revokeObConsentEndpoint },

  { method: 'GET', path: '/admin/v1/subscriptions', endpoint: listSubscriptionsEndpoint },
  { method: 'POST', path: '/admin/v1/subscriptions', endpoint: createSubscriptionEndpoint },
  { method: 'GET', path: '/admin/v1/subscriptions/{subscriptionId}', endpoint: readSubscriptionEndpoint },
  { method: 'POST', path: '/admin/v1/subscriptions/{subscriptionId}/approve', subject: subscription, endpoint: (deps) => decideSubscriptionEndpoint(deps, 'approve') },
  { method: 'POST', path: '/admin/v1/subscriptions/{subscriptionId}/refuse', subject: subscription, endpoint: (deps) => decideSubscriptionEndpoint(deps, 'refuse') },
  { method: 'POST', path: '/admin/v1/subscriptions/{subscriptionId}/cancel', subject: subscription, endpoint: (deps) => decideSubscriptionEndpoint(deps, 'cancel') },

  // The caller's own personal tokens: any role manages its own (a token carries no more than its role).
  { method: 'GET', path: '/admin/v1/me/tokens', right: 'read', endpoint: listOperatorTokensEndpoint },
  { method: 'POST', path: '/admin/v1/me/tokens', right: 'read', endpoint: createOperatorTokenEndpoint },
  { method: 'POST', path: '/admin/v1/me/tokens/{tokenId}/revoke', right: 'read', subject: operatorToken, endpoint: revokeOperatorTokenEndpoint },

  { method: 'GET', path: '/admin/v1/audit/entries', endpoint: searchAuditEndpoint },
  { method: 'GET', path: '/admin/v1/audit/entries/{seq}', endpoint: readAuditEntryEndpoint },
  { method: 'GET', path: '/admin/v1/audit/verification', endpoint: verifyAuditEndpoint },
  { method: 'GET', path: '/admin/v1/audit/export', endpoint: exportAuditEndpoint },

  { method: 'GET', path: '/admin/v1/overview', endpoint: overviewEndpoint },
  { method: 'GET', path: '/admin/v1/analytics', endpoint: analyticsEndpoint },

  { method: 'GET', path: '/admin/v1/billing/months', endpoint: listBillingMonthsEndpoint },
  { method: 'GET', path: '/admin/v1/billing/months/{month}', endpoint: readBillingMonthEndpoint },
  { method: 'GET', path: '/admin/v1/billing/months/{month}/lines.csv', endpoint: exportBillingMonthEndpoint },
  { method: 'POST', path: '/admin/v1/billing/months/{month}/run', right: 'administer', subject: billingMonth, endpoint: runBillingMonthEndpoint },
  { method: 'POST', path: '/admin/v1/billing/months/{month}/close', right: 'administer', subject: billingMonth, endpoint: closeBillingMonthEndpoint },
  { method: 'POST', path: '/admin/v1/billing/months/{month}/push', right: 'administer', subject: billingMonth, endpoint: pushBillingMonthEndpoint },
  { method: 'PUT', path: '/admin/v1/billing/customers/{organisationId}', right: 'administer', subject: billingCustomer, endpoint: setBillingCustomerEndpoint },
];
