import { z } from 'zod';

import { OPERATOR_ROLES } from '../operators/operator-role.ts';

/* The console's forms' fields, with the words each mistake is shown in. */

export const CONSOLE_SIGN_IN_FORM = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(254, 'Enter an email address of at most 254 characters'),
  password: z.string().min(1, 'Enter your password').max(128, 'The password is not right'),
});

export const CONSOLE_CODE_FORM = z.object({
  code: z.string().transform((code) => code.replace(/\s/g, '')).pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code your authenticator app shows')),
});

export const NEW_OPERATOR_FORM = z.object({
  email: z.string().trim().max(254, 'Enter an email address of at most 254 characters').pipe(z.email('Enter an email address like name@example.com')),
  name: z.string().trim().min(1, 'Enter their name').max(100, 'Enter a name of at most 100 characters'),
  role: z.enum(OPERATOR_ROLES, 'Choose a role'),
});

export const OPERATOR_ROLE_FORM = z.object({ role: z.enum(OPERATOR_ROLES, 'Choose a role') });
