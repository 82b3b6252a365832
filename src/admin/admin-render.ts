import type { ApiKeyRow, ApplicationRow, OrganisationRow } from '../gateway/consumers/consumer.store.ts';
import type { Page } from '../gateway/page.ts';
import { encodeCursor } from './http/read-list-query.ts';

/*
 * How the admin API writes what the services return: camelCase members, instants as RFC 3339
 * strings (JSON.stringify of a Date), lists as `{ items, nextCursor }`. Catalogue objects (APIs,
 * plans, subscriptions) are written as the typed model has them.
 */

export function renderOrganisation(row: OrganisationRow) {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export function renderApplication(row: ApplicationRow) {
  return { id: row.id, organisationId: row.organisation_id, name: row.name, clientId: row.client_id, status: row.status, createdAt: row.created_at };
}

/** A key as it can be read back: its prefix and dates, never the secret. */
export function renderApiKey(row: ApiKeyRow) {
  return { id: row.id, applicationId: row.application_id, prefix: row.prefix, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at };
}

/** A page of a list; `nextCursor` asks for the next page (`?cursor=`), null on the last. */
export function renderPage<T, R>(page: Page<T>, render: (item: T) => R) {
  return { items: page.items.map(render), nextCursor: page.next === null ? null : encodeCursor(page.next) };
}
