import type { Knex } from 'knex';

import type { ConsentKind } from './consent-kinds.ts';
import type { ConsentStatus } from './consent-status.ts';

/*
 * Consents as the bank's operations search them (console, admin API): by customer, partner, kind,
 * status and creation date, newest first, a page at a time. A page is the rows created before the
 * last one seen (its instant and id), so consents created meanwhile never shift a page.
 */

export interface ConsentSearch {
  /** A customer's id, or their username (as they sign in), any case. */
  customer?: string;
  clientId?: string;
  kind?: ConsentKind;
  status?: ConsentStatus;
  /** Created at or after. */
  createdFrom?: Date;
  /** Created before. */
  createdBefore?: Date;
}

/** Where a page starts: after the consent created at `createdAt` (the store's exact text of it, microseconds and all) with `id`. */
export interface ConsentCursor {
  createdAt: string;
  id: string;
}

/** A consent as the search lists it, with the names the store knows for its partner and customer. */
export interface ConsentListing {
  id: string;
  kind: ConsentKind;
  client_id: string;
  client_name: string | null;
  customer_id: string | null;
  customer_name: string | null;
  status: ConsentStatus;
  created_at: Date;
  status_updated_at: Date;
  expires_at: Date | null;
  /** `created_at` exactly, for the next page's cursor. */
  created_exact: string;
}

/** At most `limit` consents matching `search` after `after`, newest first. */
export function searchConsents(db: Knex, search: ConsentSearch, limit: number, after: ConsentCursor | undefined): Promise<ConsentListing[]> {
  const query = db('consents as c')
    .leftJoin('oidc_clients as k', 'k.client_id', 'c.client_id')
    .leftJoin('customers as u', 'u.id', 'c.customer_id')
    .select('c.id', 'c.kind', 'c.client_id', db.raw("k.metadata->>'client_name' as client_name"), 'c.customer_id', 'u.display_name as customer_name', 'c.status', 'c.created_at', 'c.status_updated_at', 'c.expires_at', db.raw('c.created_at::text as created_exact'))
    .orderBy([{ column: 'c.created_at', order: 'desc' }, { column: 'c.id', order: 'desc' }])
    .limit(limit);
  if (search.customer !== undefined) {
    const customer = search.customer;
    query.where((where) => where.where('c.customer_id', customer).orWhereIn('c.customer_id', db('customers').select('id').whereRaw('lower(username) = lower(?)', [customer])));
  }
  if (search.clientId !== undefined) query.where('c.client_id', search.clientId);
  if (search.kind !== undefined) query.where('c.kind', search.kind);
  if (search.status !== undefined) query.where('c.status', search.status);
  if (search.createdFrom !== undefined) query.where('c.created_at', '>=', search.createdFrom);
  if (search.createdBefore !== undefined) query.where('c.created_at', '<', search.createdBefore);
  if (after) query.whereRaw('(c.created_at, c.id) < (?::timestamptz, ?)', [after.createdAt, after.id]);
  return query;
}

/** The client's consents that have not ended (awaiting authorisation, or authorised). */
export async function listLiveClientConsentIds(db: Knex, clientId: string): Promise<string[]> {
  const rows: Array<{ id: string }> = await db('consents').select('id').where({ client_id: clientId }).whereIn('status', ['AwaitingAuthorisation', 'Authorised']).orderBy('created_at');
  return rows.map((row) => row.id);
}

/** A customer's name as the store knows it, when it does (the sandbox's customers, a bank's mirror). */
export async function findCustomerName(db: Knex, customerId: string): Promise<string | undefined> {
  const row: { display_name: string } | undefined = await db('customers').first('display_name').where({ id: customerId });
  return row?.display_name;
}
