import type { Knex } from 'knex';

import { findClientRow, listClientsAfter } from '../../auth/clients/client.store.ts';
import { removeClient, setClientStatus } from './client-status.service.ts';
import { describeRegistration, type RegistrationDetails } from '../../auth/clients/registration-details.ts';
import type { RevokeGrant } from '../../consent/consent.service.ts';
import { searchConsents, type ConsentListing } from '../../consent/consent-search.store.ts';
import type { ServiceContext } from '../../events/service-context.ts';
import type { Page, PageRequest } from '../../gateway/page.ts';
import { ObAdminInvalid, ObAdminNotFound } from './ob-admin-errors.ts';
import { keysetCursor, readKeysetCursor } from './ob-keyset-cursor.ts';

/*
 * The Open Banking partners as operations see and manage them, for the admin API and the console
 * alike: their registrations (software statement, roles, certificates), the consents they hold,
 * and the bank's suspension, reactivation and removal of a client.
 */

/** How many of a partner's consents its page shows, newest first; the consent search has them all. */
const PARTNER_PAGE_CONSENTS = 20;

/** A page of registered clients, newest first, their certificates judged at `now`. */
export async function listPartners(db: Knex, now: Date, page: PageRequest): Promise<Page<RegistrationDetails>> {
  const after = page.after === undefined ? undefined : readKeysetCursor(page.after);
  if (page.after !== undefined && !after) throw new ObAdminInvalid([{ path: 'cursor', message: 'must be a cursor from a previous page' }]);
  const rows = await listClientsAfter(db, page.limit + 1, after && { createdAt: after.instant, clientId: after.id });
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items: items.map((row) => describeRegistration(row, now)), next: rows.length > page.limit && last ? keysetCursor(last.created_exact, last.client_id) : null };
}

/** One registration; throws `ObAdminNotFound` for an unknown client. */
export async function readPartner(db: Knex, clientId: string, now: Date): Promise<RegistrationDetails> {
  const row = await findClientRow(db, clientId);
  if (!row) throw new ObAdminNotFound(`no client ${clientId}`);
  return describeRegistration(row, now);
}

/** A registration with its newest consents, and whether it has more. */
export async function viewPartner(db: Knex, clientId: string, now: Date): Promise<{ client: RegistrationDetails; consents: ConsentListing[]; moreConsents: boolean }> {
  const client = await readPartner(db, clientId, now);
  const consents = await searchConsents(db, { clientId }, PARTNER_PAGE_CONSENTS + 1, undefined);
  return { client, consents: consents.slice(0, PARTNER_PAGE_CONSENTS), moreConsents: consents.length > PARTNER_PAGE_CONSENTS };
}

/** Suspends or reactivates a client: within a second the authorization server and every gateway refuse it, or take it again. */
export async function setPartnerStatus(context: ServiceContext, clientId: string, status: 'active' | 'suspended'): Promise<RegistrationDetails> {
  const row = await setClientStatus(context, clientId, status);
  if (!row) throw new ObAdminNotFound(`no client ${clientId}`);
  return describeRegistration(row, context.clock.now());
}

/** Removes a client for good: its consents revoked with their tokens, its registration deleted. */
export async function removePartner(context: ServiceContext, revokeGrant: RevokeGrant, clientId: string): Promise<{ endedConsents: string[] }> {
  const removed = await removeClient(context, revokeGrant, clientId);
  if (!removed) throw new ObAdminNotFound(`no client ${clientId}`);
  return removed;
}
