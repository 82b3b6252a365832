import { timingSafeEqual } from 'node:crypto';

import { Problem } from '../../../src/shared/problem.ts';
import { findOrganisation, insertOrganisation, type OrganisationRow } from './directory-register.store.ts';
import { hashOrganisationToken, newOrganisationId, newOrganisationToken } from './onboarding-ids.ts';
import type { OnboardingContext } from './onboarding-context.ts';
import type { SignUp } from './onboarding.schema.ts';

/** Signs an organisation up: its id, and its bearer token, which only this answer ever shows. */
export async function signUp(context: OnboardingContext, input: SignUp): Promise<{ organisation: OrganisationRow; token: string }> {
  const token = newOrganisationToken();
  const organisation: OrganisationRow = {
    org_id: newOrganisationId(),
    name: input.name,
    contact_email: input.contact_email,
    token_hash: hashOrganisationToken(token),
    created_at: context.clock.now(),
  };
  await insertOrganisation(context.db, organisation);
  return { organisation, token };
}

/**
 * The organisation `orgId` names, when `token` is its own: an unknown organisation is 404 and
 * another organisation's token (or a made-up one) 401, compared as hashes in constant time.
 */
export async function authenticateOrganisation(context: OnboardingContext, orgId: string, token: string): Promise<OrganisationRow> {
  const organisation = await findOrganisation(context.db, orgId);
  if (!organisation) throw new Problem(404, 'not-found', `No organisation ${orgId} has signed up`);
  const presented = Buffer.from(hashOrganisationToken(token));
  const expected = Buffer.from(organisation.token_hash);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new Problem(401, 'unauthenticated', `The token is not organisation ${orgId}'s`, { headers: { 'WWW-Authenticate': 'Bearer realm="sandbox-directory", error="invalid_token"' } });
  }
  return organisation;
}
