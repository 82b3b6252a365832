import { z } from 'zod';

import type { ServiceContext } from '../events/service-context.ts';
import { CatalogueInvalid } from '../gateway/catalogue/catalogue-errors.ts';
import { getOrganisation } from '../gateway/consumers/consumer-listing.service.ts';
import { selectCustomerId, writeCustomerId } from './billing.store.ts';

/* Which customer at the payment provider each organisation is: the push bills its lines to that one. */

const customerInput = z.object({
  // Stripe's are `cus_` and letters and digits; any provider's id is one short token.
  customerId: z.string('must be the provider\'s customer id').regex(/^[A-Za-z0-9_-]{1,255}$/, 'must be the provider\'s customer id (letters, digits, _ and -)'),
}).strict();

/** The organisation's customer id, or null. Throws `ConsumerNotFound` for an unknown organisation. */
export async function getBillingCustomer(context: Pick<ServiceContext, 'db'>, organisationId: string): Promise<{ organisationId: string; customerId: string | null }> {
  await getOrganisation(context.db, organisationId);
  return { organisationId, customerId: (await selectCustomerId(context.db, organisationId)) ?? null };
}

/** Sets the organisation's customer id. Throws `CatalogueInvalid` or `ConsumerNotFound`. */
export async function setBillingCustomer(context: ServiceContext, organisationId: string, input: unknown): Promise<{ organisationId: string; customerId: string }> {
  const parsed = customerInput.safeParse(input);
  if (!parsed.success) throw new CatalogueInvalid(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
  await getOrganisation(context.db, organisationId);
  await writeCustomerId(context.db, organisationId, parsed.data.customerId, context.clock.now());
  return { organisationId, customerId: parsed.data.customerId };
}
