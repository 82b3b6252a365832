import { randomUUID } from 'node:crypto';

import type { ServiceContext } from '../../events/service-context.ts';
import { apiKeyPrefix, hashApiKey, newApiKey } from './api-key-format.ts';
import { expireApiKey, findApiKey, findApplication, findLiveApiKey, insertApiKey, insertApplication, insertOrganisation, revokeApiKey, setApplicationStatus, type ApiKeyRow, type ApplicationRow, type ApplicationStatus, type OrganisationRow } from './consumer.store.ts';

/*
 * The gateway's consumers: organisations, their applications, and the applications' API keys. The
 * portal, the console, the admin API and declarative config all go through here; every change is
 * announced on the bus once committed, which is how running gateways learn of a revoked key or a
 * suspended application.
 */

/** A key as it is issued: the whole key, shown this once and never again, and what is kept of it. */
export interface IssuedApiKey {
  keyId: string;
  /** `pck_<prefix>_<secret>`: give it to the application now; it cannot be read back. */
  key: string;
  prefix: string;
}

/** An operation named an organisation, application or key that is not there (or not in that state). */
export class ConsumerNotFound extends Error {
  override name = 'ConsumerNotFound';
}

export async function createOrganisation(context: ServiceContext, input: { name: string }): Promise<OrganisationRow> {
  const organisation = await insertOrganisation(context.db, { id: `org-${randomUUID()}`, name: input.name });
  context.events.emit('organisation.created', { organisationId: organisation.id, name: organisation.name });
  return organisation;
}

export async function createApplication(context: ServiceContext, input: { organisationId: string; name: string; clientId?: string }): Promise<ApplicationRow> {
  const application = await insertApplication(context.db, { id: `app-${randomUUID()}`, organisation_id: input.organisationId, name: input.name, client_id: input.clientId ?? null });
  context.events.emit('application.created', { applicationId: application.id, organisationId: application.organisation_id, ...(application.client_id ? { clientId: application.client_id } : {}) });
  return application;
}

/** Suspends an application (its calls are refused) or makes it active again. */
export async function setApplicationState(context: ServiceContext, applicationId: string, status: ApplicationStatus): Promise<ApplicationRow> {
  const application = await setApplicationStatus(context.db, applicationId, status);
  if (!application) throw new ConsumerNotFound(`no application ${applicationId}`);
  context.events.emit('application.status_changed', { applicationId, status });
  return application;
}

async function storeNewKey(context: ServiceContext, applicationId: string): Promise<IssuedApiKey & { row: ApiKeyRow }> {
  const fresh = newApiKey();
  const row = await insertApiKey(context.db, { id: `key-${randomUUID()}`, application_id: applicationId, prefix: fresh.prefix, key_hash: fresh.hash });
  return { keyId: row.id, key: fresh.key, prefix: fresh.prefix, row };
}

/** Issues a new key to an application. */
export async function issueApiKey(context: ServiceContext, applicationId: string): Promise<IssuedApiKey> {
  if (!(await findApplication(context.db, applicationId))) throw new ConsumerNotFound(`no application ${applicationId}`);
  const { row, ...issued } = await storeNewKey(context, applicationId);
  context.events.emit('api_key.issued', { keyId: row.id, applicationId, prefix: row.prefix });
  return issued;
}

/**
 * Rotates a key: a new one is issued at once, and the old one keeps working for `overlapSeconds`
 * more (or less, if it already ended sooner), so that the application can switch without a
 * failed call. Both happen in one transaction.
 */
export async function rotateApiKey(context: ServiceContext, keyId: string, overlapSeconds: number): Promise<IssuedApiKey & { previousExpiresAt: Date }> {
  if (!(Number.isFinite(overlapSeconds) && overlapSeconds >= 0)) throw new RangeError('overlapSeconds must be a number of seconds, 0 or more');
  const now = context.clock.now();
  const endsAt = new Date(now.getTime() + overlapSeconds * 1000);
  const { issued, previous } = await context.db.transaction(async (trx) => {
    const old = await expireApiKey(trx, keyId, endsAt, now);
    if (!old) throw new ConsumerNotFound(`no live API key ${keyId}`);
    const { row, ...fresh } = await storeNewKey({ ...context, db: trx }, old.application_id);
    return { issued: { ...fresh, applicationId: row.application_id }, previous: old };
  });
  context.events.emit('api_key.issued', { keyId: issued.keyId, applicationId: issued.applicationId, prefix: issued.prefix, replaces: { keyId, expiresAt: previous.expires_at! } });
  return { keyId: issued.keyId, key: issued.key, prefix: issued.prefix, previousExpiresAt: previous.expires_at! };
}

/** Revokes a key at once. */
export async function revokeApplicationKey(context: ServiceContext, keyId: string): Promise<ApiKeyRow> {
  const revoked = await revokeApiKey(context.db, keyId, context.clock.now());
  if (!revoked) throw new ConsumerNotFound((await findApiKey(context.db, keyId)) ? `API key ${keyId} is revoked already` : `no API key ${keyId}`);
  context.events.emit('api_key.revoked', { keyId, applicationId: revoked.application_id, prefix: revoked.prefix });
  return revoked;
}

/** Who a presented key is: its live key and active application, or why not. */
export type ApiKeyCheck =
  | { authenticated: { keyId: string; application: ApplicationRow; expiresAt: Date | null } }
  | { refused: 'unknown' | 'suspended' };

/**
 * Checks a presented key: well-shaped, one of ours (by its hash), not revoked or past a rotation's
 * end, and its application active. An unknown, revoked and expired key are told apart by nobody.
 */
export async function authenticateApiKey(context: Pick<ServiceContext, 'db' | 'clock'>, presented: string): Promise<ApiKeyCheck> {
  if (!apiKeyPrefix(presented)) return { refused: 'unknown' };
  const found = await findLiveApiKey(context.db, hashApiKey(presented), context.clock.now());
  if (!found) return { refused: 'unknown' };
  if (found.application.status !== 'active') return { refused: 'suspended' };
  return { authenticated: { keyId: found.key.id, application: found.application, expiresAt: found.key.expires_at } };
}
