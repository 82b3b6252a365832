import { z } from 'zod';

/* The account forms' fields, with the words each mistake is shown in. */

const email = z.string().trim().max(254, 'Enter an email address of at most 254 characters').pipe(z.email('Enter an email address like name@example.com'));
const newPassword = z.string().min(12, 'Choose a password of at least 12 characters').max(128, 'Choose a password of at most 128 characters');

export const SIGN_UP_FORM = z.object({
  email,
  name: z.string().trim().min(1, 'Enter your name').max(100, 'Enter a name of at most 100 characters'),
  password: newPassword,
});

export const SIGN_IN_FORM = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(254, 'Enter an email address of at most 254 characters'),
  password: z.string().min(1, 'Enter your password').max(128, 'The password is not right'),
});

export const FORGOT_PASSWORD_FORM = z.object({ email });

export const RESET_PASSWORD_FORM = z.object({ password: newPassword });
