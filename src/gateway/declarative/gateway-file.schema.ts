import { z } from 'zod';

import { apiInputSchema, planInputSchema, type ApiInput, type PlanInput } from '../catalogue/catalogue.schema.ts';
import { LIFECYCLES, type Lifecycle } from '../catalogue/catalogue.types.ts';

/*
 * The declarative file (`gateway apply`, `gateway export`; docs/examples/gateway.yaml): the APIs
 * and plans the catalogue should hold, named by natural keys (an API by name and version, a plan
 * by name), never by generated ids. An API's definition and a plan's fields are the admin API's,
 * checked by the same schemas, so a file and the admin API refuse the same things. API keys are
 * never in it. Unknown fields are refused at every level.
 */

/** An API named by its natural key: `{ name: clinics, version: v2 }`. */
export interface ApiRef {
  name: string;
  version: string;
}

const apiRef = z.strictObject({ name: z.string().min(1), version: z.string().min(1) });

/** `clinics v2`: how the diff and messages name an API. */
export const apiKey = (api: ApiRef) => `${api.name} ${api.version}`;

export interface DesiredApi {
  definition: ApiInput;
  lifecycle: Lifecycle;
  /** For `deprecated` (required) and `retired` (kept for information) APIs. */
  sunsetAt: Date | undefined;
  successor: ApiRef | undefined;
}

export interface DesiredPlan {
  definition: Omit<PlanInput, 'apiIds'>;
  apis: ApiRef[];
}

export interface GatewayFile {
  apis: DesiredApi[];
  plans: DesiredPlan[];
}

// The entry's own members are checked here; the rest is an API definition, checked as the admin API checks it.
const apiEntry = z.looseObject({
  lifecycle: z.enum(LIFECYCLES).default('draft'),
  sunsetAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
  successor: apiRef.optional(),
}).transform((entry, ctx): DesiredApi => {
  const { lifecycle, sunsetAt, successor, ...definition } = entry;
  const parsed = apiInputSchema.safeParse(definition);
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  if (lifecycle === 'deprecated' && !sunsetAt) ctx.addIssue({ code: 'custom', path: ['sunsetAt'], message: 'a deprecated API names its sunset (RFC 8594)' });
  if (!['deprecated', 'retired'].includes(lifecycle) && (sunsetAt || successor)) ctx.addIssue({ code: 'custom', path: [sunsetAt ? 'sunsetAt' : 'successor'], message: 'only for a deprecated or retired API' });
  return { definition: parsed.data!, lifecycle, sunsetAt, successor };
});

const planEntry = z.looseObject({ apis: z.array(apiRef).max(200).default([]) }).transform((entry, ctx): DesiredPlan => {
  const { apis, ...definition } = entry;
  const parsed = planInputSchema.safeParse(definition);
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  const { apiIds: _apiIds, ...fields } = parsed.data ?? ({} as PlanInput);
  if (new Set(apis.map(apiKey)).size !== apis.length) ctx.addIssue({ code: 'custom', path: ['apis'], message: 'must not list an API twice' });
  return { definition: fields, apis };
});

/** The whole file: `apis` and `plans`, each optional (absent means none). */
export const gatewayFileSchema = z.strictObject({
  apis: z.array(apiEntry).default([]),
  plans: z.array(planEntry).default([]),
}).superRefine((file, ctx) => {
  const apis = new Map<string, number>();
  file.apis.forEach((api, index) => {
    if (!api.definition) return;
    const key = apiKey(api.definition);
    if (apis.has(key)) ctx.addIssue({ code: 'custom', path: ['apis', index], message: `API ${key} is listed twice (apis[${apis.get(key)}])` });
    apis.set(key, index);
  });
  const plans = new Set<string>();
  file.plans.forEach((plan, index) => {
    if (!plan.definition.name) return;
    if (plans.has(plan.definition.name)) ctx.addIssue({ code: 'custom', path: ['plans', index, 'name'], message: `plan ${plan.definition.name} is listed twice` });
    plans.add(plan.definition.name);
  });
}) satisfies z.ZodType<GatewayFile, unknown>;
