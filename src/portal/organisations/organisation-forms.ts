import { z } from 'zod';

import { MEMBER_ROLES } from './member-role.ts';

/* The organisation forms' fields, with the words each mistake is shown in. */

export const ORGANISATION_FORM = z.object({
  name: z.string().trim().min(1, 'Enter the organisation\'s name').max(100, 'Enter a name of at most 100 characters'),
});

export const INVITATION_FORM = z.object({
  email: z.string().trim().max(254, 'Enter an email address of at most 254 characters').pipe(z.email('Enter an email address like name@example.com')),
  role: z.enum(MEMBER_ROLES, 'Choose a role: owner or developer'),
});

export const MEMBER_CHANGE_FORM = z.discriminatedUnion('action', [
  z.object({ action: z.literal('role'), role: z.enum(MEMBER_ROLES) }),
  z.object({ action: z.literal('remove') }),
]);
