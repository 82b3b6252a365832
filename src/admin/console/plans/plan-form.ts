import { z } from 'zod';

import type { FieldIssue } from '../../../gateway/catalogue/catalogue-errors.ts';
import type { GatewayPlan } from '../../../gateway/catalogue/catalogue.types.ts';
import type { FieldError } from '../../../shared/read-form.ts';
import { readForm } from '../../../shared/read-form.ts';

/*
 * The console's plan form: limits and quotas as whole numbers (empty for none), the monthly price
 * in major units (`99.00`), self-service or approval, and a checkbox per API (`api-<id>`: a form
 * field is sent once). It becomes the body the admin API's POST and PUT /admin/v1/plans take, checked
 * again by the plans service, whose refusals are put back beside their fields.
 */

const count = (what: string) => z.string().trim().regex(/^\d{0,15}$/, `Enter a whole number of ${what}, or leave it empty for no limit`).transform((value) => (value === '' ? null : Number(value)));

const PLAN_FORM = z.object({
  name: z.string().trim().min(1, 'Enter the plan\'s name'),
  ratePerSecond: count('calls a second'),
  ratePerMinute: count('calls a minute'),
  quotaPerDay: count('calls a day'),
  quotaPerMonth: count('calls a month'),
  price: z.string().trim().regex(/^(\d{1,13}(\.\d{1,2})?)?$/, 'Enter a monthly price like 99.00, or leave it empty for a free plan')
    .transform((value) => (value === '' ? null : Math.round(Number(value) * 100))),
  currency: z.string().trim().transform((value) => (value === '' ? null : value.toUpperCase())),
  access: z.enum(['self-service', 'approval'], 'Choose how developers get the plan'),
});

export const PLAN_FORM_FIELDS = [...Object.keys(PLAN_FORM.shape), 'apis'] as const;

const API_FIELD = /^api-(.+)$/;

export type PlanFormReading = { ok: true; body: Record<string, unknown> } | { ok: false; errors: FieldError[] };

/** The admin API's body for the posted form. */
export function readPlanForm(form: Record<string, string>): PlanFormReading {
  const read = readForm(PLAN_FORM, form);
  if (!read.ok) return read;
  const { price, access, ...rest } = read.value;
  const apiIds = Object.keys(form).flatMap((field) => API_FIELD.exec(field)?.[1] ?? []);
  return { ok: true, body: { ...rest, priceMinorUnits: price, selfService: access === 'self-service', apiIds } };
}

/** What the form shows for a stored plan. */
export function planFormValues(plan: GatewayPlan): Record<string, string> {
  const text = (value: number | null) => (value === null ? '' : String(value));
  return {
    name: plan.name, ratePerSecond: text(plan.ratePerSecond), ratePerMinute: text(plan.ratePerMinute), quotaPerDay: text(plan.quotaPerDay), quotaPerMonth: text(plan.quotaPerMonth),
    price: plan.priceMinorUnits === null ? '' : (plan.priceMinorUnits / 100).toFixed(2), currency: plan.currency ?? '', access: plan.selfService ? 'self-service' : 'approval',
    ...Object.fromEntries(plan.apiIds.map((id) => [`api-${id}`, 'on'])),
  };
}

const FIELD_OF: Readonly<Record<string, string>> = { priceMinorUnits: 'price', selfService: 'access', apiIds: 'apis' };
const LABELS: Readonly<Record<string, string>> = { name: 'The name', price: 'The price', currency: 'The currency', apis: 'The APIs', ratePerSecond: 'Calls a second', ratePerMinute: 'Calls a minute', quotaPerDay: 'Calls a day', quotaPerMonth: 'Calls a month' };

/** The plans service's refusals (`CatalogueInvalid` issues) as the form's field errors, one a field. */
export function planFieldErrors(issues: readonly FieldIssue[]): FieldError[] {
  const errors = new Map<string, string>();
  for (const { path, message } of issues) {
    const member = /^\w+/.exec(path)?.[0] ?? 'name';
    const field = FIELD_OF[member] ?? member;
    if (!errors.has(field)) errors.set(field, `${LABELS[field] ?? field} ${message}`);
  }
  return PLAN_FORM_FIELDS.filter((field) => errors.has(field)).map((field) => ({ field, message: errors.get(field)! }));
}
