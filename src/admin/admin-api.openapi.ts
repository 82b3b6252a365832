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

// The analytics' figures (`analytics-report.service.ts`): a period's totals, and the same per bucket.
const integer = { type: 'integer', minimum: 0 };
const analyticsTotals = {
  calls: integer,
  byStatusClass: { type: 'object', additionalProperties: false, required: ['1xx', '2xx', '3xx', '4xx', '5xx'], properties: Object.fromEntries(['1xx', '2xx', '3xx', '4xx', '5xx'].map((name) => [name, integer])) },
  errors: { ...integer, description: 'Calls answered 4xx or 5xx.' },
  errorRate: { ...nullable({ type: 'number', minimum: 0, maximum: 1 }), description: 'errors / calls; null without calls.' },
  serverErrorRate: { ...nullable({ type: 'number', minimum: 0, maximum: 1 }), description: 'Calls answered 5xx / calls; null without calls.' },
  latencyMs: { ...nullable({ type: 'object', additionalProperties: false, required: ['p50', 'p95', 'p99'], properties: { p50: { type: 'number' }, p95: { type: 'number' }, p99: { type: 'number' } } }), description: 'Percentiles of the time to answer, in ms, from the merged latency histograms (within 4.5 % of the exact ones); null without calls.' },
  requestBytes: integer,
  responseBytes: integer,
};
const totalsShape = { type: 'object', additionalProperties: false, required: Object.keys(analyticsTotals), properties: analyticsTotals };
const periodFigures = {
  from: instant, to: instant, totals: ref('AnalyticsTotals'),
  series: { type: 'array', description: 'One point per bucket, oldest first, buckets without calls included.', items: ref('AnalyticsPoint') },
};
const analyticsReport = {
  ...periodFigures,
  bucket: { enum: ['minute', 'hour', 'day'] },
  comparison: nullable({
    type: 'object', additionalProperties: false, required: [...Object.keys(periodFigures), 'kind', 'change'],
    properties: {
      ...periodFigures, kind: { enum: ['previous', 'custom'] },
      change: { type: 'object', additionalProperties: false, description: 'From the compared period to the selected one: difference, and relative to the compared (null when it was 0 or has no latency).', required: ['calls', 'errors', 'errorRate', 'p50Ms', 'p95Ms', 'p99Ms'], properties: Object.fromEntries(['calls', 'errors', 'errorRate', 'p50Ms', 'p95Ms', 'p99Ms'].map((name) => [name, ref('FigureChange')])) },
    },
  }),
};
const topEntry = { type: 'object', additionalProperties: false, required: ['id', 'name', 'calls', 'clientErrors', 'serverErrors'], properties: { id: { type: 'string' }, name: { type: 'string' }, calls: integer, clientErrors: integer, serverErrors: integer } };
const analyticsParams = [
  ...['apiId', 'routeId', 'applicationId'].map((name) => ({ name, in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'Only these calls; empty is all.' })),
  { name: 'status', in: 'query', schema: { enum: ['1xx', '2xx', '3xx', '4xx', '5xx'] }, description: 'Only calls answered with a status of this class.' },
  { name: 'range', in: 'query', schema: { enum: ['hour', 'day', '7d', '30d', 'custom'], default: 'day' }, description: 'A period ending now (per minute, hour, day, day), or custom: from and to.' },
  ...['from', 'to', 'compareFrom', 'compareTo'].map((name) => ({ name, in: 'query', schema: { type: 'string', examples: ['2026-12-06T10:00:00Z'] }, description: 'ISO 8601; UTC without an offset. from/to make a custom period (at most 366 days, per minute up to 3 hours, per hour up to 2 days, else per day); compareFrom/compareTo the second period of compare=custom.' })),
  { name: 'compare', in: 'query', schema: { enum: ['previous', 'custom'] }, description: 'A second period, in the same buckets: the one of the same length just before, or compareFrom to compareTo.' },
  { name: 'format', in: 'query', schema: { enum: ['json', 'csv'] }, description: 'Without it, `Accept: text/csv` asks for CSV.' },
];

const BILLING_MONTH_DESCRIPTION = 'A calendar month (UTC) that has been run: `open` lines are drafts a run replaces; `closed` ones are final and may be pushed.';
const BILLING_MONTH_REQUIRED = ['month', 'status', 'runAt', 'runBy', 'closedAt', 'closedBy', 'lineCount', 'totals', 'pushes'];
const billingMonthFields = {
  month: { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }, status: { enum: ['open', 'closed'] }, runAt: instant, runBy: { type: 'string' },
  closedAt: nullable(instant), closedBy: nullable({ type: 'string' }), lineCount: { type: 'integer', minimum: 0 },
  totals: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['currency', 'amountMinorUnits'], properties: { currency: { type: 'string' }, amountMinorUnits: { type: 'integer', minimum: 0 } } } },
  pushes: { type: 'object', additionalProperties: false, required: ['unpushed', 'pending', 'sent', 'failed'], properties: Object.fromEntries(['unpushed', 'pending', 'sent', 'failed'].map((state) => [state, { type: 'integer', minimum: 0 }])) },
};

const schemas = {
  AnalyticsTotals: totalsShape,
  AnalyticsPoint: { ...totalsShape, required: ['start', ...Object.keys(analyticsTotals)], properties: { start: instant, ...analyticsTotals } },
  FigureChange: { type: 'object', additionalProperties: false, required: ['difference', 'relative'], properties: { difference: nullable({ type: 'number' }), relative: nullable({ type: 'number' }) } },
  AnalyticsReport: {
    type: 'object', additionalProperties: false, required: ['range', 'filters', ...Object.keys(analyticsReport)],
    properties: {
      range: { enum: ['hour', 'day', '7d', '30d', 'custom'] },
      filters: { type: 'object', additionalProperties: false, required: ['apiId', 'routeId', 'applicationId', 'status'], properties: { apiId: nullable({ type: 'string' }), routeId: nullable({ type: 'string' }), applicationId: nullable({ type: 'string' }), status: nullable({ enum: ['1xx', '2xx', '3xx', '4xx', '5xx'] }) } },
      ...analyticsReport,
    },
  },
  TrafficOverview: {
    type: 'object', additionalProperties: false, required: ['range', ...Object.keys(analyticsReport), 'topApis', 'topApplications', 'activeConsents', 'breakers'],
    properties: {
      range: { enum: ['hour', 'day', '30d'] }, ...analyticsReport,
      topApis: { type: 'array', items: topEntry, description: 'The five APIs with the most calls in the period.' },
      topApplications: { type: 'array', items: topEntry, description: 'The five applications with the most calls in the period.' },
      activeConsents: { ...integer, description: 'Open Banking consents Authorised and not expired.' },
      breakers: {
        type: 'object', additionalProperties: false, required: ['gatewayInThisProcess', 'notClosed'], description: 'Circuit breakers live in each gateway process: this is the view of the process answering (none known when it runs no gateway).',
        properties: { gatewayInThisProcess: { type: 'boolean' }, notClosed: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['upstream', 'state'], properties: { upstream: { type: 'string' }, state: { enum: ['open', 'half-open'] } } } } },
      },
    },
  },
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
  ObClient: {
    type: 'object', additionalProperties: false, description: 'A partner\'s registration (RFC 7591, with a software statement when it came by dynamic registration). What the store keeps of certificates: the transport certificate\'s subject (`tls_client_auth`), the transport certificates the client has authenticated with over mutual TLS, and the registered keys\' own certificates (`x5c`); keys behind a `jwksUri` are not fetched.',
    required: ['clientId', 'clientName', 'orgId', 'orgName', 'softwareId', 'roles', 'authMethod', 'registeredAt', 'status', 'suspendedAt', 'redirectUris', 'scope', 'softwareStatement', 'transportCertificateSubject', 'senderConstraint', 'jwksUri', 'keys', 'transportCertificates', 'certificateWarning'],
    properties: {
      clientId: { type: 'string' }, clientName: nullable({ type: 'string' }), orgId: nullable({ type: 'string' }), orgName: nullable({ type: 'string' }), softwareId: nullable({ type: 'string' }),
      roles: { type: 'array', items: { type: 'string' } }, authMethod: nullable({ type: 'string' }), registeredAt: instant,
      status: { enum: ['active', 'suspended'], description: 'A suspended client is refused by the authorization server and its tokens by the gateway.' }, suspendedAt: nullable(instant),
      redirectUris: { type: 'array', items: { type: 'string' } }, scope: nullable({ type: 'string' }),
      softwareStatement: { ...nullable({ type: 'object' }), description: 'The software statement\'s claims, as the directory signed them (verified at registration).' },
      transportCertificateSubject: nullable({ type: 'string' }), senderConstraint: nullable({ enum: ['certificate', 'dpop'] }), jwksUri: nullable({ type: 'string' }),
      keys: {
        type: 'array',
        items: {
          type: 'object', additionalProperties: false, required: ['kid', 'kty', 'alg', 'use', 'certificate'],
          properties: {
            kid: nullable({ type: 'string' }), kty: nullable({ type: 'string' }), alg: nullable({ type: 'string' }), use: nullable({ type: 'string' }),
            certificate: nullable({ type: 'object', additionalProperties: false, required: ['subject', 'issuer', 'notBefore', 'notAfter', 'expiresWithin30Days'], properties: { subject: { type: 'string' }, issuer: { type: 'string' }, notBefore: instant, notAfter: instant, expiresWithin30Days: { type: 'boolean' } } }),
          },
        },
      },
      transportCertificates: {
        type: 'array',
        description: 'The transport certificates (RFC 8705) the client has authenticated with at the token, PAR and registration endpoints, as they were seen, the one ending soonest first. `lastSeenAt` is right to the hour.',
        items: {
          type: 'object', additionalProperties: false, required: ['thumbprint', 'subject', 'issuer', 'notBefore', 'notAfter', 'firstSeenAt', 'lastSeenAt', 'expiresWithin30Days', 'expired', 'replaced'],
          properties: {
            thumbprint: { type: 'string', description: 'The certificate\'s `x5t#S256` (RFC 8705 §3.1): base64url of the SHA-256 of its DER.' },
            subject: { type: 'string' }, issuer: { type: 'string' }, notBefore: instant, notAfter: instant, firstSeenAt: instant, lastSeenAt: instant,
            expiresWithin30Days: { type: 'boolean' }, expired: { type: 'boolean' },
            replaced: { type: 'boolean', description: 'The client has since moved to a certificate ending later: this one raises no warning.' },
          },
        },
      },
      certificateWarning: { ...nullable({ type: 'object', additionalProperties: false, required: ['notAfter', 'expired', 'certificate'], properties: { notAfter: instant, expired: { type: 'boolean' }, certificate: { enum: ['key', 'transport'], description: 'Whose end it is: a registered key\'s certificate, or a transport certificate.' } } }), description: 'The soonest end, when a registered certificate, or a transport certificate the client still uses, ends within 30 days or has ended.' },
    },
  },
  ObClientPage: page('ObClient'),
  ObClientRemoval: { type: 'object', additionalProperties: false, required: ['endedConsents'], properties: { endedConsents: { type: 'array', items: { type: 'string' }, description: 'The consents the removal revoked (or rejected, when nobody had authorised them).' } } },
  ObConsent: {
    type: 'object', additionalProperties: false, required: ['id', 'kind', 'clientId', 'clientName', 'customerId', 'customerName', 'status', 'createdAt', 'statusUpdatedAt', 'expiresAt'],
    properties: {
      id: { type: 'string' }, kind: { enum: ['account-access', 'domestic-payment', 'domestic-scheduled-payment', 'domestic-standing-order', 'funds-confirmation'] }, clientId: { type: 'string' }, clientName: nullable({ type: 'string' }),
      customerId: nullable({ type: 'string' }), customerName: nullable({ type: 'string' }), status: { enum: ['AwaitingAuthorisation', 'Authorised', 'Rejected', 'Revoked', 'Consumed'] },
      createdAt: instant, statusUpdatedAt: instant, expiresAt: nullable(instant),
    },
  },
  ObConsentPage: page('ObConsent'),
  ObConsentDetail: {
    type: 'object', additionalProperties: false, required: ['id', 'kind', 'clientId', 'clientName', 'customerId', 'customerName', 'status', 'createdAt', 'statusUpdatedAt', 'expiresAt', 'accountIds', 'revocable', 'history'],
    properties: {
      id: { type: 'string' }, kind: { type: 'string' }, clientId: { type: 'string' }, clientName: nullable({ type: 'string' }), customerId: nullable({ type: 'string' }), customerName: nullable({ type: 'string' }),
      status: { enum: ['AwaitingAuthorisation', 'Authorised', 'Rejected', 'Revoked', 'Consumed'] }, createdAt: instant, statusUpdatedAt: instant, expiresAt: nullable(instant),
      accountIds: nullable({ type: 'array', items: { type: 'string' } }), revocable: { type: 'boolean' },
      history: {
        type: 'array', description: 'Every status the consent has had, oldest first.',
        items: { type: 'object', additionalProperties: false, required: ['status', 'actor', 'reason', 'changedAt'], properties: { status: { type: 'string' }, actor: { enum: ['partner', 'customer', 'ops', 'system'] }, reason: nullable({ type: 'string' }), changedAt: instant } },
      },
    },
  },
  AuditEntry: {
    type: 'object', additionalProperties: false, required: ['seq', 'at', 'kind', 'action', 'actor', 'apiId', 'route', 'applicationId', 'clientId', 'customerId', 'consentId', 'status', 'payload', 'prevHash', 'hash'],
    description: 'An entry of the hash-chained audit log. `hash` is the hex SHA-256 of `prevHash` followed by the RFC 8785 canonical JSON of the other members (the export\'s header states the recipe).',
    properties: {
      seq: { type: 'integer', minimum: 1 }, at: instant, kind: { enum: ['call', 'admin', 'event'], description: '`call`: an API call through the gateway; `admin`: an admin change (or export); `event`: a domain event.' },
      action: { type: 'string' }, actor: { type: 'string', description: '`operator:<id>`, `admin-token`, a partner\'s client id, an event\'s actor, `system`.' },
      ...Object.fromEntries(['apiId', 'route', 'applicationId', 'clientId', 'customerId', 'consentId'].map((name) => [name, nullable({ type: 'string' })])),
      status: nullable({ type: 'integer' }), payload: { description: 'An admin change\'s params, request, before and after; a call\'s params and captured bodies; an event\'s payload.' },
      prevHash: { type: 'string', pattern: '^[0-9a-f]{64}$' }, hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    },
  },
  AuditEntryPage: page('AuditEntry'),
  AuditVerification: {
    type: 'object', additionalProperties: false, required: ['count', 'head', 'problems', 'problemCount', 'complete', 'after', 'next'],
    description: 'The chain walked from the start (or on `after` an earlier part), at most 100,000 entries a request. Whole when `complete` and `problemCount` is 0.',
    properties: {
      count: { type: 'integer', minimum: 0, description: 'Entries checked in this part.' },
      head: { type: 'object', additionalProperties: false, required: ['seq', 'hash'], properties: { seq: { type: 'integer' }, hash: { type: 'string' } }, description: 'The last entry walked: note it outside the database.' },
      problems: {
        type: 'array', description: 'The first 1,000 problems, in chain order.',
        items: { type: 'object', additionalProperties: false, required: ['kind', 'seq', 'message'], properties: { kind: { enum: ['changed', 'removed', 'inserted', 'broken_link'] }, seq: { type: 'integer' }, message: { type: 'string' } } },
      },
      problemCount: { type: 'integer', minimum: 0 },
      complete: { type: 'boolean', description: 'False when the part stopped before the end: ask again with `after` = `next`.' },
      after: nullable({ type: 'integer' }), next: nullable({ type: 'integer' }),
    },
  },
  BillingMonth: { type: 'object', additionalProperties: false, required: BILLING_MONTH_REQUIRED, description: BILLING_MONTH_DESCRIPTION, properties: billingMonthFields },
  BillingLine: {
    type: 'object', additionalProperties: false,
    required: ['id', 'month', 'organisationId', 'organisationName', 'applicationId', 'applicationName', 'planId', 'planName', 'calls', 'quotaPerMonth', 'amountMinorUnits', 'currency', 'push'],
    description: 'What one application owes for one plan in the month: the plan\'s monthly price, not prorated; `calls` are the billable calls (not 429 or 5xx) made under the plan.',
    properties: {
      id: { type: 'string', description: 'Stable across runs: the push\'s idempotency key.' }, month: { type: 'string' },
      organisationId: { type: 'string' }, organisationName: { type: 'string' }, applicationId: { type: 'string' }, applicationName: { type: 'string' }, planId: { type: 'string' }, planName: { type: 'string' },
      calls: { type: 'integer', minimum: 0 }, quotaPerMonth: nullable({ type: 'integer' }), amountMinorUnits: { type: 'integer', minimum: 0 }, currency: nullable({ type: 'string' }),
      push: {
        type: 'object', additionalProperties: false, required: ['state', 'provider', 'reference', 'error', 'attempts', 'at'],
        properties: { state: nullable({ enum: ['pending', 'sent', 'failed'] }), provider: nullable({ type: 'string' }), reference: nullable({ type: 'string' }), error: nullable({ type: 'string' }), attempts: { type: 'integer', minimum: 0 }, at: nullable(instant) },
      },
    },
  },
  BillingMonthWithLines: {
    type: 'object', additionalProperties: false, required: [...BILLING_MONTH_REQUIRED, 'lines'], description: BILLING_MONTH_DESCRIPTION,
    properties: { ...billingMonthFields, lines: { type: 'array', items: ref('BillingLine') } },
  },
  BillingMonthList: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('BillingMonth') } } },
  BillingPush: {
    type: 'object', additionalProperties: false, required: ['provider', 'sent', 'failed', 'skipped'],
    properties: { provider: { type: 'string', description: '`stripe`, or `none` (recorded only).' }, sent: { type: 'integer', minimum: 0 }, failed: { type: 'integer', minimum: 0 }, skipped: { type: 'integer', minimum: 0, description: 'Sent before, or of no amount.' } },
  },
  OperatorTokenInput: {
    type: 'object', additionalProperties: false, required: ['name', 'expiresInDays'],
    properties: { name: { type: 'string', minLength: 1, maxLength: 100, examples: ['deploy pipeline'] }, expiresInDays: { enum: [7, 30, 90, 365] } },
  },
  OperatorToken: {
    type: 'object', additionalProperties: false, required: ['id', 'name', 'prefix', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt', 'status'],
    description: 'A personal token of the caller: it acts as them, with their role at the time of each call.',
    properties: {
      id: { type: 'string' }, name: { type: 'string' }, prefix: { type: 'string', description: 'The token\'s first characters, to tell tokens apart.' },
      createdAt: instant, expiresAt: instant, lastUsedAt: nullable(instant), revokedAt: nullable(instant), status: { enum: ['active', 'expired', 'revoked'] },
    },
  },
  IssuedOperatorToken: {
    allOf: [ref('OperatorToken'), { type: 'object', required: ['token'], properties: { token: { type: 'string', pattern: '^pco_[A-Za-z0-9_-]{43}$', description: 'The token itself: in this answer only.' } } }],
  },
  OperatorTokenList: { type: 'object', required: ['tokens'], properties: { tokens: { type: 'array', items: ref('OperatorToken') } } },
  BillingCustomerInput: { type: 'object', additionalProperties: false, required: ['customerId'], properties: { customerId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,255}$', examples: ['cus_NffrFeUfNV2Hib'] } } },
  BillingCustomer: { type: 'object', additionalProperties: false, required: ['organisationId', 'customerId'], properties: { organisationId: { type: 'string' }, customerId: { type: 'string' } } },
};

const id = (name: string) => [pathParam(name)];
/** The operation, answering CSV rather than JSON on success. */
const csvOperation = (described: ReturnType<typeof operation>, description: string) => ({
  ...described, responses: { ...described.responses, 200: { description, content: { 'text/csv': { schema: { type: 'string' } } } } },
});

const AUDIT_FILTERS = ['actor', 'apiId', 'applicationId', 'clientId', 'customerId', 'consentId'];
const auditKind = { name: 'kind', in: 'query', schema: { enum: ['call', 'admin', 'event'] } };
const auditRange = ['from', 'to'].map((name) => ({ name, in: 'query', schema: { type: 'string' }, description: name === 'from' ? 'Entries at or after this instant.' : 'Entries before this instant.' }));

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
    '/admin/v1/openbanking/clients': {
      get: operation({ id: 'listObClients', summary: 'List the registered Open Banking clients, newest first', params: listParams(), ok: [200, 'A page of clients', ref('ObClientPage')], errors: [400] }),
    },
    '/admin/v1/openbanking/clients/{clientId}': {
      get: operation({ id: 'getObClient', summary: 'Read a client\'s registration: software statement, roles, redirect URIs, certificates registered and presented', params: id('clientId'), ok: [200, 'The client', ref('ObClient')], errors: [404] }),
      delete: operation({ id: 'removeObClient', summary: 'Remove a client: its consents revoked with their tokens, its registration deleted', params: id('clientId'), ok: [200, 'What the removal ended', ref('ObClientRemoval')], errors: [404] }),
    },
    '/admin/v1/openbanking/clients/{clientId}/suspend': {
      post: operation({ id: 'suspendObClient', summary: 'Suspend a client: the authorization server refuses it and the gateway its tokens, within a second', params: id('clientId'), ok: [200, 'The client', ref('ObClient')], errors: [404] }),
    },
    '/admin/v1/openbanking/clients/{clientId}/reactivate': {
      post: operation({ id: 'reactivateObClient', summary: 'Reactivate a suspended client', params: id('clientId'), ok: [200, 'The client', ref('ObClient')], errors: [404] }),
    },
    '/admin/v1/openbanking/consents': {
      get: operation({
        id: 'listObConsents', summary: 'Search consents, newest first',
        params: [
          ...listParams(),
          { name: 'customer', in: 'query', schema: { type: 'string' }, description: 'A customer\'s id, or the username they sign in with.' },
          { name: 'clientId', in: 'query', schema: { type: 'string' }, description: 'The partner\'s client.' },
          { name: 'kind', in: 'query', schema: { enum: ['account-access', 'domestic-payment', 'domestic-scheduled-payment', 'domestic-standing-order', 'funds-confirmation'] } },
          { name: 'status', in: 'query', schema: { enum: ['AwaitingAuthorisation', 'Authorised', 'Rejected', 'Revoked', 'Consumed'] } },
          { name: 'createdFrom', in: 'query', schema: { type: 'string', format: 'date' }, description: 'Created on or after this day (UTC).' },
          { name: 'createdTo', in: 'query', schema: { type: 'string', format: 'date' }, description: 'Created on or before this day (UTC).' },
        ],
        ok: [200, 'A page of consents', ref('ObConsentPage')], errors: [400],
      }),
    },
    '/admin/v1/openbanking/consents/{consentId}': {
      get: operation({ id: 'getObConsent', summary: 'Read a consent with its status history', params: id('consentId'), ok: [200, 'The consent', ref('ObConsentDetail')], errors: [404] }),
    },
    '/admin/v1/openbanking/consents/{consentId}/revoke': {
      post: operation({ id: 'revokeObConsent', summary: 'Revoke a consent for the bank: its tokens are refused within a second (one awaiting authorisation is rejected)', params: id('consentId'), ok: [200, 'The consent', ref('ObConsentDetail')], errors: [404, 409] }),
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
    '/admin/v1/me/tokens': {
      get: operation({ id: 'listOwnTokens', summary: 'List the calling operator\'s personal tokens, newest first (403 for the admin token, which is no operator\'s)', ok: [200, 'The tokens', ref('OperatorTokenList')], errors: [] }),
      post: operation({ id: 'createOwnToken', summary: 'Make a personal token for the calling operator, shown in this answer only (one made with a token expires no later than it)', body: 'OperatorTokenInput', ok: [201, 'The token', ref('IssuedOperatorToken')], errors: [] }),
    },
    '/admin/v1/me/tokens/{tokenId}/revoke': {
      post: operation({ id: 'revokeOwnToken', summary: 'Revoke one of the calling operator\'s personal tokens', params: id('tokenId'), ok: [200, 'The token', ref('OperatorToken')], errors: [404, 409] }),
    },
    '/admin/v1/audit/entries': {
      get: operation({ id: 'searchAudit', summary: 'Search the audit log, newest first (time range: from inclusive, to exclusive; RFC 3339, UTC when no zone)', params: [...listParams(...AUDIT_FILTERS), auditKind, ...auditRange], ok: [200, 'A page of entries', ref('AuditEntryPage')], errors: [400] }),
    },
    '/admin/v1/audit/entries/{seq}': {
      get: operation({ id: 'getAuditEntry', summary: 'Read an audit entry by its sequence number', params: id('seq'), ok: [200, 'The entry', ref('AuditEntry')], errors: [404] }),
    },
    '/admin/v1/audit/verification': {
      get: operation({ id: 'verifyAudit', summary: 'Verify the hash chain: changed, removed or inserted entries (at most 100,000 entries a request; go on with `after`)', params: [{ name: 'after', in: 'query', schema: { type: 'integer', minimum: 1 }, description: 'The `next` of the part before.' }], ok: [200, 'The outcome', ref('AuditVerification')], errors: [400] }),
    },
    '/admin/v1/audit/export': {
      get: ((described) => ({ ...described, responses: { ...described.responses, 200: { description: 'JSON Lines, streamed: a header (selection, exporter, head, hash recipe), then an entry a line, oldest first', content: { 'application/jsonl': { schema: { type: 'string' } } } }, 503: problem('The export could not be recorded in the audit log, so it was not made.') } }))(
        operation({ id: 'exportAudit', summary: 'Export entries for an auditor (recorded in the audit log first)', params: [...AUDIT_FILTERS.map((name) => ({ name, in: 'query', schema: { type: 'string' } })), auditKind, ...auditRange], ok: [200, 'The export'], errors: [400] })),
    },
    '/admin/v1/overview': {
      get: operation({ id: 'getOverview', summary: 'The traffic of the last hour, day or 30 days: calls, errors, latency, the busiest APIs and applications, active consents, breakers not closed', params: [{ name: 'range', in: 'query', schema: { enum: ['hour', 'day', '30d'], default: 'day' } }], ok: [200, 'The overview', ref('TrafficOverview')], errors: [400] }),
    },
    '/admin/v1/analytics': {
      get: ((described) => ({ ...described, responses: { ...described.responses, 200: { description: 'The figures; as CSV (RFC 4180: a row per bucket, then the total, for each period) when asked', content: { ...json(ref('AnalyticsReport')), 'text/csv': { schema: { type: 'string' } } } } } }))(
        operation({ id: 'getAnalytics', summary: 'Calls, errors and latency percentiles of a selection over time, optionally compared with a second period', params: analyticsParams, ok: [200, 'The figures', ref('AnalyticsReport')], errors: [400] })),
    },
    '/admin/v1/billing/months': {
      get: operation({ id: 'listBillingMonths', summary: 'List the billing months run, newest first, with their totals per currency', ok: [200, 'The months', ref('BillingMonthList')], errors: [] }),
    },
    '/admin/v1/billing/months/{month}': {
      get: operation({ id: 'getBillingMonth', summary: 'Read a billing month (YYYY-MM) and its lines', params: id('month'), ok: [200, 'The month and its lines', ref('BillingMonthWithLines')], errors: [404] }),
    },
    '/admin/v1/billing/months/{month}/lines.csv': {
      get: csvOperation(operation({ id: 'exportBillingMonth', summary: 'Export a billing month\'s lines as CSV (RFC 4180)', params: id('month'), ok: [200, 'The lines'], errors: [404] }),
        'The lines, one row each after a header row; amounts in minor units and in the currency\'s decimals'),
    },
    '/admin/v1/billing/months/{month}/run': {
      post: operation({ id: 'runBillingMonth', summary: 'Run a billing month: an open month\'s lines are replaced; a closed one\'s stay as they are (idempotent)', params: id('month'), ok: [200, 'The month and its lines', ref('BillingMonthWithLines')], errors: [400] }),
    },
    '/admin/v1/billing/months/{month}/close': {
      post: operation({ id: 'closeBillingMonth', summary: 'Close an ended month after a last run: its lines become final', params: id('month'), ok: [200, 'The month and its lines', ref('BillingMonthWithLines')], errors: [400, 404, 409] }),
    },
    '/admin/v1/billing/months/{month}/push': {
      post: operation({ id: 'pushBillingMonth', summary: 'Push a closed month\'s unsent lines to the payment provider, each under its own idempotency key (safe to retry)', params: id('month'), ok: [200, 'What was sent', ref('BillingPush')], errors: [404, 409] }),
    },
    '/admin/v1/billing/customers/{organisationId}': {
      put: operation({ id: 'setBillingCustomer', summary: 'Set an organisation\'s customer id at the payment provider', params: id('organisationId'), body: 'BillingCustomerInput', ok: [200, 'The customer', ref('BillingCustomer')], errors: [404] }),
    },
  },
  components: {
    securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (ADMIN_TOKEN), with every right; or an operator\'s personal token (`pco_…`, made on the console\'s account page), with that operator\'s role.' } },
    responses: {
      Unauthenticated: {
        description: 'The token is missing or wrong (unknown, revoked or expired).',
        headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    },
    schemas,
  },
};
