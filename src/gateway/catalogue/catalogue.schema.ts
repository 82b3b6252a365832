import { z } from 'zod';

import { CatalogueInvalid, type FieldIssue } from './catalogue-errors.ts';
import { AUTH_KINDS, HTTP_METHODS, LIFECYCLES, OMITTED_PARTS_MEMBER } from './catalogue.types.ts';

/*
 * What the catalogue's services accept, checked at their edge: the shapes the tables cannot check
 * (a base path's form, path templates and their parameters, upstream URLs and weights, the
 * policies that name those parameters, aggregate parts). The admin API and declarative config hand
 * their input to the services unchecked, so both refuse the same things in the same words. Unknown
 * fields are refused everywhere: a misspelt policy must not pass as no policy.
 */

/** Names and versions are natural keys (declarative config, the CLI's diff): short, no spaces. */
const slug = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must start with a letter or digit and hold only letters, digits, ".", "_" and "-"');
const id = z.string().min(1).max(100);
const positiveInt = (max: number) => z.number().int().min(1).max(max);

const LITERAL_SEGMENT = "[A-Za-z0-9._~!$&'()*+,;=:@%-]+";
const PARAM_SEGMENT = '\\{[A-Za-z_][A-Za-z0-9_]*\\}';
const TEMPLATE = new RegExp(`^(?:/|(?:/(?:${LITERAL_SEGMENT}|${PARAM_SEGMENT}))+)$`);
const DOT_SEGMENT = /\/\.{1,2}(?:\/|$)/;

/** The `{parameters}` of a path template, in order. */
export function templateParams(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
}

const basePath = z.string().max(200)
  .regex(/^(?:\/[A-Za-z0-9._~-]+)+$/, 'must be /segment[/segment...]: no trailing slash, no {parameters}')
  .refine((value) => !DOT_SEGMENT.test(value), 'must not hold "." or ".." segments');

const pathTemplate = z.string().max(500)
  .regex(TEMPLATE, 'must be "/" or /segment[/segment...], each segment literal or a whole {Parameter}, no trailing slash')
  .refine((value) => !DOT_SEGMENT.test(value), 'must not hold "." or ".." segments')
  .refine((value) => new Set(templateParams(value)).size === templateParams(value).length, 'must not name a parameter twice');

function httpUrl(options: { query: boolean }) {
  return z.string().max(2000).superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must be an http or https URL' });
    if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not carry credentials' });
    if (url.hash || (!options.query && url.search)) ctx.addIssue({ code: 'custom', message: options.query ? 'must not have a fragment' : 'must not have a query or fragment' });
  });
}

const origin = z.string().max(300).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}, 'must be an origin: scheme://host[:port], nothing after');

const upstream = z.strictObject({ url: httpUrl({ query: false }), weight: positiveInt(10_000) });

const aggregatePart = z.strictObject({
  name: z.string().min(1).max(100).refine((name) => name !== OMITTED_PARTS_MEMBER, `"${OMITTED_PARTS_MEMBER}" lists the parts left out of the answer`),
  method: z.literal('GET'),
  path: pathTemplate,
});

const routePolicy = z.strictObject({
  scopes: z.array(z.string().min(1).max(200)).max(50).optional(),
  claims: z.array(z.strictObject({ claim: z.string().min(1).max(200), equalsParam: z.string().min(1).max(100) })).max(20).optional(),
  audit: z.enum(['off', 'on', 'required']).optional(),
  captureBodies: z.strictObject({ redact: z.array(z.string().min(1).max(200)).max(100) }).optional(),
  limits: z.strictObject({ perSecond: positiveInt(2 ** 31 - 1).optional(), perMinute: positiveInt(2 ** 31 - 1).optional() }).optional(),
  validateRequest: z.boolean().optional(),
  aggregate: z.strictObject({ parts: z.array(aggregatePart).min(1).max(20), onPartFailure: z.enum(['fail', 'omit']) }).optional(),
});

const routeInput = z.strictObject({ method: z.enum(HTTP_METHODS), pathTemplate, policy: routePolicy.default({}) }).superRefine((route, ctx) => {
  const params = new Set(templateParams(route.pathTemplate));
  route.policy.claims?.forEach((rule, index) => {
    if (!params.has(rule.equalsParam)) ctx.addIssue({ code: 'custom', path: ['policy', 'claims', index, 'equalsParam'], message: `must be a parameter of ${route.pathTemplate}` });
  });
  const aggregate = route.policy.aggregate;
  if (!aggregate) return;
  if (route.method !== 'GET') ctx.addIssue({ code: 'custom', path: ['method'], message: 'an aggregate route must be GET' });
  const names = new Set<string>();
  aggregate.parts.forEach((part, index) => {
    if (names.has(part.name)) ctx.addIssue({ code: 'custom', path: ['policy', 'aggregate', 'parts', index, 'name'], message: `names "${part.name}" twice` });
    names.add(part.name);
    for (const param of templateParams(part.path)) {
      if (!params.has(param)) ctx.addIssue({ code: 'custom', path: ['policy', 'aggregate', 'parts', index, 'path'], message: `{${param}} is not a parameter of ${route.pathTemplate}` });
    }
  });
});

const settings = z.strictObject({
  oauth2: z.strictObject({ issuer: httpUrl({ query: true }), jwksUri: httpUrl({ query: true }), audience: z.string().min(1).max(500) }).optional(),
  apiKeyHeader: z.string().max(100).regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name').transform((value) => value.toLowerCase()).optional(),
  corsOrigins: z.array(origin).max(100).refine((origins) => new Set(origins).size === origins.length, 'must not list an origin twice').optional(),
  audit: z.enum(['off', 'on', 'required']).optional(),
});

const openapi = z.record(z.string(), z.unknown()).refine((document) => typeof document['openapi'] === 'string' && /^3\.\d+\.\d+/.test(document['openapi']), 'must be an OpenAPI 3.x document (an "openapi": "3.x.y" member)');

/** An API with its routes, as created or replaced (every field; the lifecycle moves on its own). */
export const apiInputSchema = z.strictObject({
  name: slug(100),
  version: slug(50),
  basePath,
  authKind: z.enum(AUTH_KINDS),
  upstreams: z.array(upstream).max(20).default([]),
  openapi: openapi.nullable().default(null),
  settings: settings.default({}),
  routes: z.array(routeInput).max(500).default([]),
}).superRefine((api, ctx) => {
  const composite = api.routes.length > 0 && api.routes.every((route) => route.policy.aggregate);
  if (api.upstreams.length === 0 && !composite) ctx.addIssue({ code: 'custom', path: ['upstreams'], message: 'needs at least one upstream unless every route is an aggregate' });
  if (api.settings.oauth2 && api.authKind !== 'oauth2') ctx.addIssue({ code: 'custom', path: ['settings', 'oauth2'], message: 'only for an oauth2 API' });
  if (api.settings.apiKeyHeader && api.authKind !== 'api-key') ctx.addIssue({ code: 'custom', path: ['settings', 'apiKeyHeader'], message: 'only for an api-key API' });
  // The Open Banking pipeline has no aggregate step: such a route would be forwarded as if it were plain.
  if (api.authKind === 'fapi') {
    api.routes.forEach((route, index) => {
      if (route.policy.aggregate) ctx.addIssue({ code: 'custom', path: ['routes', index, 'policy', 'aggregate'], message: 'composite routes are served on the public listener, not for a fapi API' });
    });
  }
  // Two templates that differ only in parameter names match the same requests.
  const seen = new Map<string, number>();
  api.routes.forEach((route, index) => {
    const shape = `${route.method} ${route.pathTemplate.replace(/\{[^}]+\}/g, '{}')}`;
    const first = seen.get(shape);
    if (first === undefined) seen.set(shape, index);
    else ctx.addIssue({ code: 'custom', path: ['routes', index], message: `matches the same requests as routes[${first}]` });
  });
});
export type ApiInput = z.output<typeof apiInputSchema>;

/** A plan, as created or replaced. */
export const planInputSchema = z.strictObject({
  name: slug(100),
  ratePerSecond: positiveInt(2 ** 31 - 1).nullable().default(null),
  ratePerMinute: positiveInt(2 ** 31 - 1).nullable().default(null),
  quotaPerDay: positiveInt(Number.MAX_SAFE_INTEGER).nullable().default(null),
  quotaPerMonth: positiveInt(Number.MAX_SAFE_INTEGER).nullable().default(null),
  selfService: z.boolean().default(false),
  priceMinorUnits: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().default(null),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as GBP').nullable().default(null),
  apiIds: z.array(id).max(200).refine((ids) => new Set(ids).size === ids.length, 'must not list an API twice').default([]),
}).superRefine((plan, ctx) => {
  if ((plan.priceMinorUnits === null) !== (plan.currency === null)) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'a price and its currency come together' });
});
export type PlanInput = z.output<typeof planInputSchema>;

/** A lifecycle move: `{ "to": "deprecated", "sunsetAt": "2027-06-30T00:00:00Z", "successorApiId": "api-…" }`. */
export const lifecycleChangeSchema = z.strictObject({
  to: z.enum(LIFECYCLES),
  sunsetAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
  successorApiId: id.optional(),
}).superRefine((change, ctx) => {
  if (change.to === 'deprecated' && !change.sunsetAt) ctx.addIssue({ code: 'custom', path: ['sunsetAt'], message: 'a deprecation names its sunset (RFC 8594)' });
  if (change.to !== 'deprecated' && change.sunsetAt) ctx.addIssue({ code: 'custom', path: ['sunsetAt'], message: 'only for a deprecation' });
  if (change.to !== 'deprecated' && change.successorApiId) ctx.addIssue({ code: 'custom', path: ['successorApiId'], message: 'only for a deprecation' });
});
export type LifecycleChange = z.output<typeof lifecycleChangeSchema>;

/** A subscription request. */
export const subscriptionInputSchema = z.strictObject({ applicationId: id, planId: id });
export type SubscriptionInput = z.output<typeof subscriptionInputSchema>;

/** `routes[1].pathTemplate` for zod's `['routes', 1, 'pathTemplate']`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** Parses `input` with `schema`, or throws `CatalogueInvalid` listing every issue. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message }));
  throw new CatalogueInvalid(issues);
}
