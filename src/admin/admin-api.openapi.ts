/*
 * The admin API's description (OpenAPI 3.1, whose schemas are JSON Schema 2020-12), served at
 * `GET /admin/v1/openapi.json`. A test holds it to the router: every route is described here and
 * every operation here is routed, and the responses the API sends match these schemas. The
 * request schemas mirror `catalogue.schema.ts` and `consumer-bodies.schema.ts`, which decide.
 * Long because it is a protocol description, built with a few helpers to stay readable.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const instant = { type: 'string', format: 'date-time' };
const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const listParams = (...filters: string[]) => [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, description: 'Items per page.' },
  { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'The `nextCursor` of the page before.' },
  ...filters.map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
];
const page = (item: string) => ({ type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: ref(item) }, nextCursor: nullable({ type: 'string' }) } });

interface OperationSpec {
  id: string;
  summary: string;
  params?: Array<Record<string, unknown>>;
  body?: string;
  ok: [status: number, description: string, schema?: Record<string, unknown>];
  errors: number[];
  /** Served without the admin token. */
  public?: true;
}

const ERROR_TEXT: Readonly<Record<number, string>> = {
  400: 'Malformed: `errors` lists each field and what is wrong with it.',
  404: 'No such resource.',
  409: 'It clashes with what is stored (a duplicate, an illegal lifecycle move).',
  413: 'The body is larger than 1 MiB.',
  415: 'The body is not application/json.',
};

function operation(spec: OperationSpec) {
  const [status, description, schema] = spec.ok;
  const errors = new Set([...spec.errors, ...(spec.body ? [400, 413, 415] : [])]);
  return {
    operationId: spec.id,
    summary: spec.summary,
    ...(spec.params ? { parameters: spec.params } : {}),
    ...(spec.body ? { requestBody: { required: true, content: json(ref(spec.body)) } } : {}),
    responses: {
      [String(status)]: schema ? { description, content: json(schema) } : { description },
      ...Object.fromEntries([...errors].sort().map((code) => [String(code), problem(ERROR_TEXT[code]!)])),
      ...(spec.public ? {} : { 401: { $ref: '#/components/responses/Unauthenticated' }, 403: problem('The caller\'s role lacks the right this operation needs: a viewer only reads; an operator changes the API programme; an admin also manages operators and billing.') }),
    },
    ...(spec.public ? { security: [] } : {}),
  };
}

const routePolicy = {
  type: 'object', additionalProperties: false,
  properties: {
    scopes: { type: 'array', items: { type: 'string' } },
    claims: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['claim', 'equalsParam'], properties: { claim: { type: 'string' }, equalsParam: { type: 'string' } } } },
    audit: { enum: ['off', 'on', 'required'] },
    captureBodies: { type: 'object', additionalProperties: false, required: ['redact'], properties: { redact: { type: 'array', items: { type: 'string' } } } },
    limits: { type: 'object', additionalProperties: false, properties: { perSecond: { type: 'integer', minimum: 1 }, perMinute: { type: 'integer', minimum: 1 } } },
    validateRequest: { type: 'boolean' },
    aggregate: {
      type: 'object', additionalProperties: false, required: ['parts', 'onPartFailure'],
      properties: {
        parts: { type: 'array', minItems: 1, items: { type: 'object', additionalProperties: false, required: ['name', 'method', 'path'], properties: { name: { type: 'string', not: { const: '_errors' } }, method: { const: 'GET' }, path: { type: 'string' } } } },
        onPartFailure: { enum: ['fail', 'omit'] },
      },
    },
  },
};

const apiFields = {
  name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 100 },
  version: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 50 },
  basePath: { type: 'string', pattern: '^(/[A-Za-z0-9._~-]+)+$', examples: ['/clinics/v2'] },
  authKind: { enum: ['fapi', 'oauth2', 'api-key', 'none'] },
  upstreams: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['url', 'weight'], properties: { url: { type: 'string', format: 'uri' }, weight: { type: 'integer', minimum: 1 } } } },
  openapi: nullable({ type: 'object', required: ['openapi'], properties: { openapi: { type: 'string', pattern: '^3\\.' } } }),
  settings: {
    type: 'object', additionalProperties: false,
    properties: {
      oauth2: { type: 'object', additionalProperties: false, required: ['issuer', 'jwksUri', 'audience'], properties: { issuer: { type: 'string' }, jwksUri: { type: 'string' }, audience: { type: 'string' } } },
      apiKeyHeader: { type: 'string' },
      corsOrigins: { type: 'array', items: { type: 'string' } },
      audit: { enum: ['off', 'on', 'required'] },
    },
  },
};

const planFields = {
  name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 100 },
  ratePerSecond: nullable({ type: 'integer', minimum: 1 }),
  ratePerMinute: nullable({ type: 'integer', minimum: 1 }),
  quotaPerDay: nullable({ type: 'integer', minimum: 1 }),
  quotaPerMonth: nullable({ type: 'integer', minimum: 1 }),
  selfService: { type: 'boolean' },
  priceMinorUnits: nullable({ type: 'integer', minimum: 0 }),
  currency: nullable({ type: 'string', pattern: '^[A-Z]{3}$' }),
  apiIds: { type: 'array', items: { type: 'string' }, uniqueItems: true },
};

const schemas = {
  Problem: {
    type: 'object', required: ['type', 'title', 'status', 'instance'],
    properties: {
      type: { type: 'string', format: 'uri' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, instance: { type: 'string' },
      errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
    },
  },
  Route: { type: 'object', additionalProperties: false, required: ['id', 'apiId', 'method', 'pathTemplate', 'policy'], properties: { id: { type: 'string' }, apiId: { type: 'string' }, method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] }, pathTemplate: { type: 'string' }, policy: ref('RoutePolicy') } },
  RouteInput: { type: 'object', additionalProperties: false, required: ['method', 'pathTemplate'], properties: { method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] }, pathTemplate: { type: 'string', examples: ['/clinics/{clinicId}'] }, policy: ref('RoutePolicy') } },
  RoutePolicy: routePolicy,
  ApiInput: { type: 'object', additionalProperties: false, required: ['name', 'version', 'basePath', 'authKind'], properties: { ...apiFields, routes: { type: 'array', items: ref('RouteInput') } } },
  Api: {
    type: 'object', additionalProperties: false,
    required: ['id', 'name', 'version', 'basePath', 'authKind', 'lifecycle', 'upstreams', 'openapi', 'sunsetAt', 'deprecatedAt', 'successorApiId', 'settings', 'routes'],
    properties: { id: { type: 'string' }, ...apiFields, lifecycle: { enum: ['draft', 'published', 'deprecated', 'retired'] }, sunsetAt: nullable(instant), deprecatedAt: { ...nullable(instant), description: 'When it was first deprecated: the date of its Deprecation header (RFC 9745).' }, successorApiId: nullable({ type: 'string' }), routes: { type: 'array', items: ref('Route') } },
  },
  LifecycleChange: {
    type: 'object', additionalProperties: false, required: ['to'],
    description: 'draft→published, published→deprecated, deprecated→deprecated (new sunset), deprecated→published, deprecated→retired. A deprecation needs a future sunsetAt; its successor must be published.',
    properties: { to: { enum: ['draft', 'published', 'deprecated', 'retired'] }, sunsetAt: instant, successorApiId: { type: 'string' } },
  },
  PlanInput: { type: 'object', additionalProperties: false, required: ['name'], properties: planFields },
  Plan: { type: 'object', additionalProperties: false, required: ['id', ...Object.keys(planFields)], properties: { id: { type: 'string' }, ...planFields } },
  OrganisationInput: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
  Organisation: { type: 'object', additionalProperties: false, required: ['id', 'name', 'createdAt'], properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: instant } },
  ApplicationInput: { type: 'object', additionalProperties: false, required: ['organisationId', 'name'], properties: { organisationId: { type: 'string' }, name: { type: 'string', minLength: 1 }, clientId: { type: 'string' } } },
  Application: {
    type: 'object', additionalProperties: false, required: ['id', 'organisationId', 'name', 'clientId', 'status', 'createdAt'],
    properties: { id: { type: 'string' }, organisationId: { type: 'string' }, name: { type: 'string' }, clientId: nullable({ type: 'string' }), status: { enum: ['active', 'suspended'] }, createdAt: instant },
  },
  ApiKey: {
    type: 'object', additionalProperties: false, required: ['id', 'applicationId', 'prefix', 'createdAt', 'expiresAt', 'revokedAt'],
    properties: { id: { type: 'string' }, applicationId: { type: 'string' }, prefix: { type: 'string' }, createdAt: instant, expiresAt: nullable(instant), revokedAt: nullable(instant) },
  },
  IssuedApiKey: {
    type: 'object', additionalProperties: false, required: ['id', 'applicationId', 'key', 'prefix'], description: 'The whole key is in this response only: it cannot be read back.',
    properties: { id: { type: 'string' }, applicationId: { type: 'string' }, key: { type: 'string' }, prefix: { type: 'string' } },
  },
  Rotation: { type: 'object', additionalProperties: false, required: ['overlapSeconds'], properties: { overlapSeconds: { type: 'integer', minimum: 0, maximum: 2_592_000, description: 'How long the old key keeps working.' } } },
  RotatedApiKey: {
    type: 'object', additionalProperties: false, required: ['id', 'key', 'prefix', 'previousKey'],
    properties: { id: { type: 'string' }, key: { type: 'string' }, prefix: { type: 'string' }, previousKey: { type: 'object', additionalProperties: false, required: ['id', 'expiresAt'], properties: { id: { type: 'string' }, expiresAt: instant } } },
  },
  SubscriptionInput: { type: 'object', additionalProperties: false, required: ['applicationId', 'planId'], properties: { applicationId: { type: 'string' }, planId: { type: 'string' } } },
  Subscription: {
    type: 'object', additionalProperties: false, required: ['id', 'applicationId', 'planId', 'status', 'createdAt', 'statusUpdatedAt'],
    properties: { id: { type: 'string' }, applicationId: { type: 'string' }, planId: { type: 'string' }, status: { enum: ['requested', 'active', 'refused', 'cancelled'] }, createdAt: instant, statusUpdatedAt: instant },
  },
  ApiPage: page('Api'),
  PlanPage: page('Plan'),
  OrganisationPage: page('Organisation'),
  ApplicationPage: page('Application'),
  SubscriptionPage: page('Subscription'),
  ApiKeyList: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('ApiKey') } } },
};

const id = (name: string) => [pathParam(name)];

/** The admin API's OpenAPI 3.1 document. */
export const ADMIN_OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Portcullis admin API',
    version: '1',
    description: 'Manages what the gateway serves (APIs, routes, lifecycle, plans) and who calls it (organisations, applications, API keys, subscriptions). Every response is `no-store`; errors are RFC 9457 problem details. Lists are paged by `limit` and `cursor`.',
  },
  servers: [{ url: '/' }],
  security: [{ adminToken: [] }],
  paths: {
    '/admin/v1/openapi.json': { get: operation({ id: 'getOpenApi', summary: 'This document', ok: [200, 'The OpenAPI document', { type: 'object' }], errors: [], public: true }) },
    '/admin/v1/apis': {
      get: operation({ id: 'listApis', summary: 'List APIs with their routes', params: listParams(), ok: [200, 'A page of APIs', ref('ApiPage')], errors: [400] }),
      post: operation({ id: 'createApi', summary: 'Create an API (in draft) with its routes', body: 'ApiInput', ok: [201, 'The API', ref('Api')], errors: [409] }),
    },
    '/admin/v1/apis/{apiId}': {
      get: operation({ id: 'getApi', summary: 'Read an API', params: id('apiId'), ok: [200, 'The API', ref('Api')], errors: [404] }),
      put: operation({ id: 'replaceApi', summary: 'Replace an API and its routes (not its lifecycle)', params: id('apiId'), body: 'ApiInput', ok: [200, 'The API', ref('Api')], errors: [404, 409] }),
      delete: operation({ id: 'deleteApi', summary: 'Delete a draft or retired API', params: id('apiId'), ok: [204, 'Deleted'], errors: [404, 409] }),
    },
    '/admin/v1/apis/{apiId}/lifecycle': {
      post: operation({ id: 'changeApiLifecycle', summary: 'Move an API along its lifecycle', params: id('apiId'), body: 'LifecycleChange', ok: [200, 'The API', ref('Api')], errors: [404, 409] }),
    },
    '/admin/v1/plans': {
      get: operation({ id: 'listPlans', summary: 'List plans', params: listParams(), ok: [200, 'A page of plans', ref('PlanPage')], errors: [400] }),
      post: operation({ id: 'createPlan', summary: 'Create a plan', body: 'PlanInput', ok: [201, 'The plan', ref('Plan')], errors: [404, 409] }),
    },
    '/admin/v1/plans/{planId}': {
      get: operation({ id: 'getPlan', summary: 'Read a plan', params: id('planId'), ok: [200, 'The plan', ref('Plan')], errors: [404] }),
      put: operation({ id: 'replacePlan', summary: 'Replace a plan and its APIs', params: id('planId'), body: 'PlanInput', ok: [200, 'The plan', ref('Plan')], errors: [404, 409] }),
      delete: operation({ id: 'deletePlan', summary: 'Delete a plan nobody is subscribed to', params: id('planId'), ok: [204, 'Deleted'], errors: [404, 409] }),
    },
    '/admin/v1/organisations': {
      get: operation({ id: 'listOrganisations', summary: 'List organisations', params: listParams(), ok: [200, 'A page of organisations', ref('OrganisationPage')], errors: [400] }),
      post: operation({ id: 'createOrganisation', summary: 'Create an organisation', body: 'OrganisationInput', ok: [201, 'The organisation', ref('Organisation')], errors: [] }),
    },
    '/admin/v1/organisations/{organisationId}': {
      get: operation({ id: 'getOrganisation', summary: 'Read an organisation', params: id('organisationId'), ok: [200, 'The organisation', ref('Organisation')], errors: [404] }),
    },
    '/admin/v1/applications': {
      get: operation({ id: 'listApplications', summary: 'List applications', params: listParams('organisationId'), ok: [200, 'A page of applications', ref('ApplicationPage')], errors: [400, 404] }),
      post: operation({ id: 'createApplication', summary: 'Create an application', body: 'ApplicationInput', ok: [201, 'The application', ref('Application')], errors: [404, 409] }),
    },
    '/admin/v1/applications/{applicationId}': {
      get: operation({ id: 'getApplication', summary: 'Read an application', params: id('applicationId'), ok: [200, 'The application', ref('Application')], errors: [404] }),
    },
    '/admin/v1/applications/{applicationId}/suspend': {
      post: operation({ id: 'suspendApplication', summary: 'Suspend an application: its calls are refused', params: id('applicationId'), ok: [200, 'The application', ref('Application')], errors: [404] }),
    },
    '/admin/v1/applications/{applicationId}/reactivate': {
      post: operation({ id: 'reactivateApplication', summary: 'Reactivate a suspended application', params: id('applicationId'), ok: [200, 'The application', ref('Application')], errors: [404] }),
    },
    '/admin/v1/applications/{applicationId}/keys': {
      get: operation({ id: 'listApiKeys', summary: "List an application's keys (prefixes, never secrets)", params: id('applicationId'), ok: [200, 'The keys, newest first', ref('ApiKeyList')], errors: [404] }),
      post: operation({ id: 'issueApiKey', summary: 'Issue a key: shown in this response only', params: id('applicationId'), ok: [201, 'The new key', ref('IssuedApiKey')], errors: [404] }),
    },
    '/admin/v1/keys/{keyId}/rotate': {
      post: operation({ id: 'rotateApiKey', summary: 'Issue a new key; the old one works until the overlap ends', params: id('keyId'), body: 'Rotation', ok: [201, 'The new key', ref('RotatedApiKey')], errors: [404] }),
    },
    '/admin/v1/keys/{keyId}/revoke': {
      post: operation({ id: 'revokeApiKey', summary: 'Revoke a key at once', params: id('keyId'), ok: [200, 'The key', ref('ApiKey')], errors: [404] }),
    },
    '/admin/v1/subscriptions': {
      get: operation({ id: 'listSubscriptions', summary: 'List subscriptions', params: listParams('applicationId', 'planId'), ok: [200, 'A page of subscriptions', ref('SubscriptionPage')], errors: [400] }),
      post: operation({ id: 'createSubscription', summary: 'Subscribe an application to a plan (active at once for a self-service plan, else requested)', body: 'SubscriptionInput', ok: [201, 'The subscription', ref('Subscription')], errors: [404, 409] }),
    },
    '/admin/v1/subscriptions/{subscriptionId}': {
      get: operation({ id: 'getSubscription', summary: 'Read a subscription', params: id('subscriptionId'), ok: [200, 'The subscription', ref('Subscription')], errors: [404] }),
    },
    '/admin/v1/subscriptions/{subscriptionId}/approve': {
      post: operation({ id: 'approveSubscription', summary: 'Approve a requested subscription', params: id('subscriptionId'), ok: [200, 'The subscription', ref('Subscription')], errors: [404, 409] }),
    },
    '/admin/v1/subscriptions/{subscriptionId}/refuse': {
      post: operation({ id: 'refuseSubscription', summary: 'Refuse a requested subscription', params: id('subscriptionId'), ok: [200, 'The subscription', ref('Subscription')], errors: [404, 409] }),
    },
    '/admin/v1/subscriptions/{subscriptionId}/cancel': {
      post: operation({ id: 'cancelSubscription', summary: 'Cancel a requested or active subscription', params: id('subscriptionId'), ok: [200, 'The subscription', ref('Subscription')], errors: [404, 409] }),
    },
  },
  components: {
    securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (ADMIN_TOKEN).' } },
    responses: {
      Unauthenticated: {
        description: 'The admin token is missing or wrong.',
        headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    },
    schemas,
  },
};
