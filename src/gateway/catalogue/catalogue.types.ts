/*
 * The gateway's catalogue as the rest of the code sees it (DESIGN.md, domain model): APIs with
 * their routes, and plans. The store maps rows to these; the admin API, declarative config and
 * the pipeline all speak them.
 */

export const AUTH_KINDS = ['fapi', 'oauth2', 'api-key', 'none'] as const;
/** How an API's callers prove who they are: FAPI sender-constrained tokens, a JWT bearer, an API key, or not at all. */
export type AuthKind = (typeof AUTH_KINDS)[number];

export const LIFECYCLES = ['draft', 'published', 'deprecated', 'retired'] as const;
/** `draft` is not routed; `deprecated` answers with Deprecation, Sunset and its successor; `retired` answers 410. */
export type Lifecycle = (typeof LIFECYCLES)[number];

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One upstream target; several share traffic by weight (a canary takes a small share). */
export interface Upstream {
  url: string;
  weight: number;
}

/** Whether calls are written to the audit log, and whether a call fails when its entry cannot be. */
export type AuditMode = 'off' | 'on' | 'required';

/** A claim rule: the token's claim must equal a path parameter, so a caller sees only its own records. */
export interface ClaimRule {
  claim: string;
  equalsParam: string;
}

/** The member of a composite route's body that lists the parts left out (`onPartFailure: 'omit'`); no part takes its name. */
export const OMITTED_PARTS_MEMBER = '_errors';

/** One part of a composite route: another route of the same gateway, called with the caller's identity. */
export interface AggregatePart {
  /** The key its JSON lands under in the merged body. */
  name: string;
  method: 'GET';
  /** A gateway path, with `{param}`s filled from the composite route's own parameters. */
  path: string;
}

export interface RoutePolicy {
  /** Scopes the caller's token must all carry (`oauth2`, `fapi`). */
  scopes?: string[];
  /** Claim rules, all of which must hold (`oauth2`). */
  claims?: ClaimRule[];
  /** Overrides the API's audit mode for this route. */
  audit?: AuditMode;
  /** Captures request and response bodies into the audit entry, with these JSON field names redacted. */
  captureBodies?: { redact: string[] };
  /** Per-route rate limits on top of the plan's. */
  limits?: { perSecond?: number; perMinute?: number };
  /** Validates the request against the API's OpenAPI document. */
  validateRequest?: boolean;
  /** A composite route: its parts are called in parallel and merged; no upstream of its own. */
  aggregate?: { parts: AggregatePart[]; onPartFailure: 'fail' | 'omit' };
}

export interface GatewayRoute {
  id: string;
  apiId: string;
  method: HttpMethod;
  /** Relative to the API's base path, with `{parameters}`: `/accounts/{AccountId}/transactions`. */
  pathTemplate: string;
  policy: RoutePolicy;
}

/** Settings that depend on the API's kind, and its browser-facing options. */
export interface ApiSettings {
  /** `oauth2`: whose JWT bearer tokens are accepted. Our own issuer when absent. */
  oauth2?: { issuer: string; jwksUri: string; audience: string };
  /** `api-key`: the header the key comes in (default `x-api-key`). */
  apiKeyHeader?: string;
  /** Browser origins allowed to call it (CORS); none when absent. */
  corsOrigins?: string[];
  /** Audit mode for its routes (Open Banking APIs: `on` by default). */
  audit?: AuditMode;
}

export interface GatewayApi {
  id: string;
  name: string;
  version: string;
  /** Where it is routed: `/open-banking/v3.1/aisp`, `/clinics/v2`. */
  basePath: string;
  authKind: AuthKind;
  lifecycle: Lifecycle;
  upstreams: Upstream[];
  openapi: Record<string, unknown> | null;
  sunsetAt: Date | null;
  /** When it was deprecated (the `Deprecation` header's date); set by the lifecycle move to `deprecated`. */
  deprecatedAt: Date | null;
  successorApiId: string | null;
  settings: ApiSettings;
  routes: GatewayRoute[];
}

export interface GatewayPlan {
  id: string;
  name: string;
  ratePerSecond: number | null;
  ratePerMinute: number | null;
  quotaPerDay: number | null;
  quotaPerMonth: number | null;
  selfService: boolean;
  priceMinorUnits: number | null;
  currency: string | null;
  /** The APIs this plan's subscribers may call. */
  apiIds: string[];
}

/** Everything the gateway routes by, read at once: what an instance holds in memory and swaps on change. */
export interface CatalogueSnapshot {
  apis: GatewayApi[];
  plans: GatewayPlan[];
}

export const SUBSCRIPTION_STATUSES = ['requested', 'active', 'refused', 'cancelled'] as const;
/** `requested` waits for an operator; only `active` lets the application call the plan's APIs. */
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** An application's subscription to a plan. */
export interface Subscription {
  id: string;
  applicationId: string;
  planId: string;
  status: SubscriptionStatus;
  createdAt: Date;
  statusUpdatedAt: Date;
}
