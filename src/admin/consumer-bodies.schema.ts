import { z } from 'zod';

/*
 * The request bodies of the consumer endpoints. The consumers' services take typed input (the
 * portal will call them too), so the admin API checks these at its edge; unknown fields are refused.
 */

export const organisationBodySchema = z.strictObject({ name: z.string().trim().min(1).max(200) });

export const applicationBodySchema = z.strictObject({
  organisationId: z.string().min(1).max(100),
  name: z.string().trim().min(1).max(200),
  /** The OAuth client behind it, for applications that call with tokens. */
  clientId: z.string().min(1).max(200).optional(),
});

/** How long the old key keeps working after a rotation: up to 30 days. */
export const rotationBodySchema = z.strictObject({ overlapSeconds: z.number().int().min(0).max(30 * 86_400) });
