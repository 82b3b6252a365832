import type { Knex } from 'knex';

import { findClientRow } from '../../auth/clients/client.store.ts';
import { consentWithHistory, endConsent, type RevokeGrant } from '../../consent/consent.service.ts';
import { findCustomerName, searchConsents, type ConsentListing } from '../../consent/consent-search.store.ts';
import { CONSENT_KINDS } from '../../consent/consent-kinds.ts';
import { canTransition } from '../../consent/consent-status.ts';
import type { Consent, StatusChange } from '../../consent/consent.store.ts';
import type { ServiceContext } from '../../events/service-context.ts';
import type { Page, PageRequest } from '../../gateway/page.ts';
import { ObError } from '../../openbanking/ob-error.ts';
import { CONSENT_SEARCH_FILTERS, consentSearchOf } from './ob-admin.schema.ts';
import { ObAdminConflict, ObAdminInvalid, ObAdminNotFound } from './ob-admin-errors.ts';
import { keysetCursor, readKeysetCursor } from './ob-keyset-cursor.ts';

/*
 * Consents as operations search, read and revoke them (admin API and console). A revocation is
 * the consent service's own (`endConsent`, as the partner's DELETE and the customer's Connected
 * apps end one): the consent and its grant's tokens end in one transaction, `consent.status_changed`
 * and `grant.revoked` reach every gateway within a second, and the consent's history records it
 * as ops, naming the caller.
 */

/** A consent with every status it has had, and the names the store knows for its partner and customer. */
export interface ConsentView {
  consent: Consent;
  history: Array<StatusChange & { changed_at: Date }>;
  clientName: string | undefined;
  clientRegistered: boolean;
  customerName: string | undefined;
  /** Whether operations may end it now: awaiting authorisation, or authorised and not a payment's. */
  revocable: boolean;
}

/** A page of consents matching `filters` (the admin API's query, the console's form: checked here), newest first. */
export async function findConsents(db: Knex, filters: unknown, page: PageRequest): Promise<Page<ConsentListing>> {
  const parsed = CONSENT_SEARCH_FILTERS.safeParse(filters);
  if (!parsed.success) throw new ObAdminInvalid(parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || 'query', message: issue.message })));
  const after = page.after === undefined ? undefined : readKeysetCursor(page.after);
  if (page.after !== undefined && !after) throw new ObAdminInvalid([{ path: 'cursor', message: 'must be a cursor from a previous page' }]);
  const rows = await searchConsents(db, consentSearchOf(parsed.data), page.limit + 1, after && { createdAt: after.instant, id: after.id });
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items, next: rows.length > page.limit && last ? keysetCursor(last.created_exact, last.id) : null };
}

function isRevocable(consent: Consent): boolean {
  const family = CONSENT_KINDS[consent.kind].family;
  return canTransition(family, consent.status, consent.status === 'AwaitingAuthorisation' ? 'Rejected' : 'Revoked');
}

/** One consent with its history; throws `ObAdminNotFound` for an unknown id. */
export async function viewConsent(db: Knex, consentId: string): Promise<ConsentView> {
  const found = await consentWithHistory(db, consentId);
  if (!found) throw new ObAdminNotFound(`no consent ${consentId}`);
  const client = await findClientRow(db, found.consent.client_id);
  const name = client?.metadata['client_name'];
  return {
    ...found,
    clientName: typeof name === 'string' && name ? name : undefined,
    clientRegistered: client !== undefined,
    customerName: found.consent.customer_id ? await findCustomerName(db, found.consent.customer_id) : undefined,
    revocable: isRevocable(found.consent),
  };
}

/**
 * Ends a consent for the bank: an authorised one is revoked (its grant and every token under it
 * with it), one still awaiting authorisation rejected. `caller` (the operator, or the admin token)
 * is named in the history's reason. Throws `ObAdminNotFound` for an unknown consent and
 * `ObAdminConflict` for one that has ended, or a payment's that was authorised (it is consumed, never revoked).
 */
export async function revokeConsentForBank(context: ServiceContext, revokeGrant: RevokeGrant, consentId: string, caller: string): Promise<ConsentView> {
  const { consent } = await viewConsent(context.db, consentId);
  if (!isRevocable(consent)) throw new ObAdminConflict(`The consent is ${consent.status}: it cannot be revoked`);
  try {
    await endConsent(context, consentId, 'ops', revokeGrant, `revoked by bank operations (${caller})`);
  } catch (error) {
    // Ended meanwhile by its partner or customer.
    if (error instanceof ObError) throw new ObAdminConflict('The consent has ended meanwhile: it cannot be revoked', { cause: error });
    throw error;
  }
  return viewConsent(context.db, consentId);
}

/** What the audit log records of a consent before and after a change: its status and how many moves its history holds. */
export async function consentAuditSubject(db: Knex, consentId: string) {
  const { consent, history } = await viewConsent(db, consentId);
  return { id: consent.id, kind: consent.kind, clientId: consent.client_id, customerId: consent.customer_id, status: consent.status, statusUpdatedAt: consent.status_updated_at, historyLength: history.length };
}
