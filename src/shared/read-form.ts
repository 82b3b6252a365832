import type { z } from 'zod';

/** A mistake in one field, shown beside it and in the summary at the top of the form. */
export interface FieldError {
  field: string;
  message: string;
}

export type FormReading<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Reads the fields a schema names from a posted form: the typed value, or the first mistake in
 * each field, in the schema's order (the order the form shows them), so the summary reads like the
 * page.
 */
export function readForm<S extends z.ZodObject>(schema: S, form: Record<string, string>): FormReading<z.infer<S>> {
  const fields = Object.keys(schema.shape);
  const parsed = schema.safeParse(Object.fromEntries(fields.map((field) => [field, form[field] ?? ''])));
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0]);
    if (!errors.has(field)) errors.set(field, issue.message);
  }
  return { ok: false, errors: fields.filter((field) => errors.has(field)).map((field) => ({ field, message: errors.get(field)! })) };
}
