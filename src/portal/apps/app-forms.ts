import { z } from 'zod';

/* The application forms' fields, with the words each mistake is shown in. */

export const APPLICATION_FORM = z.object({
  name: z.string().trim().min(1, 'Enter the application\'s name').max(100, 'Enter a name of at most 100 characters'),
});

/** How long a rotated key keeps working beside its replacement, as the rotate form offers it. */
export const KEY_OVERLAPS = [
  { seconds: 0, label: 'Stop it now' },
  { seconds: 3_600, label: 'One hour' },
  { seconds: 86_400, label: 'One day' },
  { seconds: 7 * 86_400, label: 'One week' },
] as const;

export const ROTATE_FORM = z.object({
  overlap: z.enum(KEY_OVERLAPS.map((overlap) => String(overlap.seconds)) as [string, ...string[]], 'Choose how long the old key keeps working').transform(Number),
});

export const SUBSCRIBE_FORM = z.object({
  planId: z.string().min(1, 'Choose a plan').max(200, 'Choose a plan'),
});
