import type { Knex } from 'knex';

import { findClientRow, listClientsAfter, type ClientRow } from '../../auth/clients/client.store.ts';
import { listClientCertificates } from '../../auth/mtls/client-certificate.store.ts';
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
 * and the bank's suspension, reactivation and removal of a client. Each registration comes with
 * the transport certificates its client has authenticated with, read for the whole page at once.
 */

/** How many of a partner's consents its page shows, newest first; the consent search has them all. */
const PARTNER_PAGE_CONSENTS = 20;

/** The registrations of `rows`, with the transport certificates each client has presented. */
async function describeRegistrations(db: Knex, rows: readonly ClientRow[], now: Date): Promise<RegistrationDetails[]> {
  const certificates = await listClientCertificates(db, rows.map((row) => row.client_id));
  return rows.map((row) => describeRegistration(row, certificates.filter((certificate) => certificate.client_id === row.client_id), now));
}

/** A page of registered clients, newest first, their certificates judged at `now`. */
export async function listPartners(db: Knex, now: Date, page: PageRequest): Promise<Page<RegistrationDetails>> {
  const after = page.after === undefined ? undefined : readKeysetCursor(page.after);
  if (page.after !== undefined && !after) throw new ObAdminInvalid([{ path: 'cursor', message: 'must be a cursor from a previous page' }]);
  const rows = await listClientsAfter(db, page.limit + 1, after && { createdAt: after.instant, clientId: after.id });
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items: await describeRegistrations(db, items, now), next: rows.length > page.limit && last ? keysetCursor(last.created_exact, last.client_id) : null };
}

/** One registration; throws `ObAdminNotFound` for an unknown client. */
export async function readPartner(db: Knex, clientId: string, now: Date): Promise<RegistrationDetails> {
  const row = await findClientRow(db, clientId);
  if (!row) throw new ObAdminNotFound(`no client ${clientId}`);
  const [details] = await describeRegistrations(db, [row], now);
  return details!;
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
  const [details] = await describeRegistrations(context.db, [row], context.clock.now());
  return details!;
}

/** Removes a client for good: its consents revoked with their tokens, its registration deleted. */
export async function removePartner(context: ServiceContext, revokeGrant: RevokeGrant, clientId: string): Promise<{ endedConsents: string[] }> {
  const removed = await removeClient(context, revokeGrant, clientId);
  if (!removed) throw new ObAdminNotFound(`no client ${clientId}`);
  return removed;
}
