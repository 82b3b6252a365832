import { z } from 'zod';

import type { SignUp } from './sign-up.service.ts';

/** A field the form shows its error beside. */
export interface FieldError {
  field: 'email' | 'name' | 'password';
  message: string;
}

const SIGN_UP = z.object({
  email: z.string().trim().max(254, 'Enter an email address of at most 254 characters').pipe(z.email('Enter an email address like name@example.com')),
  name: z.string().trim().min(1, 'Enter your name').max(100, 'Enter a name of at most 100 characters'),
  password: z.string().min(12, 'Choose a password of at least 12 characters').max(128, 'Choose a password of at most 128 characters'),
});

/** The sign-up form's fields, or what is wrong with each, in the form's order. */
export function readSignUpForm(form: Record<string, string>): { ok: true; value: SignUp } | { ok: false; errors: FieldError[] } {
  const parsed = SIGN_UP.safeParse({ email: form['email'] ?? '', name: form['name'] ?? '', password: form['password'] ?? '' });
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = new Map<FieldError['field'], string>();
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as FieldError['field'];
    if (!errors.has(field)) errors.set(field, issue.message);
  }
  return { ok: false, errors: (['email', 'name', 'password'] as const).filter((field) => errors.has(field)).map((field) => ({ field, message: errors.get(field)! })) };
}
