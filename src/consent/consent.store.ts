import type { Knex } from 'knex';

import type { ConsentKind, ConsentRequestOf } from './consent-kinds.ts';
import type { ConsentStatus } from './consent-status.ts';
import type { ObAccount } from '../openbanking/ob-request.types.ts';

/** A stored consent of one kind, as its row. */
interface ConsentOfKind<K extends ConsentKind> {
  id: string;
  kind: K;
  client_id: string;
  status: ConsentStatus;
  created_at: Date;
  status_updated_at: Date;
  expires_at: Date | null;
  /** The POST body as the partner sent it, valid against its kind's spec schema. */
  request: ConsentRequestOf[K];
  customer_id: string | null;
  grant_id: string | null;
  /** An account access consent's accounts, as the customer chose them. */
  account_ids: string[] | null;
  /** A payment's or funds confirmation's debtor account, once the customer has chosen or confirmed it. */
  debtor_account: ObAccount | null;
}

/**
 * A stored consent: a union discriminated by `kind`, so that `consent.kind === 'domestic-payment'`
 * types `consent.request` as that kind's body.
 */
export type Consent = { [K in ConsentKind]: ConsentOfKind<K> }[ConsentKind];

/** The columns a new consent is inserted with. */
export type NewConsent = { [K in ConsentKind]: Pick<ConsentOfKind<K>, 'id' | 'kind' | 'client_id' | 'expires_at' | 'request'> }[ConsentKind];

/** Who moved a consent: the partner (API), the customer (journey, dashboard), ops, or expiry. */
export type ConsentActor = 'partner' | 'customer' | 'ops' | 'system';

export interface StatusChange {
  status: ConsentStatus;
  actor: ConsentActor;
  reason?: string;
}

export interface IdempotencyRecord {
  request_hash: string;
  consent_id: string;
}

export async function insertConsent(trx: Knex.Transaction, row: NewConsent, actor: ConsentActor): Promise<Consent> {
  const [inserted] = await trx('consents')
    .insert({ ...row, status: 'AwaitingAuthorisation', request: JSON.stringify(row.request) })
    .returning('*');
  await recordStatus(trx, inserted.id, { status: 'AwaitingAuthorisation', actor }, inserted.status_updated_at);
  return inserted;
}

export async function findConsent(db: Knex, id: string): Promise<Consent | undefined> {
  return db('consents').first('*').where({ id });
}

/** Locks the row for the rest of the transaction, so that two status changes cannot interleave. */
export async function findConsentForUpdate(trx: Knex.Transaction, id: string): Promise<Consent | undefined> {
  return trx('consents').first('*').where({ id }).forUpdate();
}

/** Sets the status (and any decision columns) and appends the change to the history. */
export async function changeStatus(
  trx: Knex.Transaction,
  id: string,
  change: StatusChange,
  fields: Partial<Pick<Consent, 'customer_id' | 'grant_id' | 'account_ids' | 'debtor_account'>> = {},
): Promise<Consent> {
  const columns: Record<string, unknown> = { ...fields, status: change.status, status_updated_at: trx.fn.now() };
  if (fields.account_ids) columns.account_ids = JSON.stringify(fields.account_ids);
  if (fields.debtor_account) columns.debtor_account = JSON.stringify(fields.debtor_account);
  const [updated] = await trx('consents').where({ id }).update(columns).returning('*');
  await recordStatus(trx, id, change, updated.status_updated_at);
  return updated;
}

async function recordStatus(trx: Knex.Transaction, consentId: string, change: StatusChange, at: Date): Promise<void> {
  await trx('consent_status_history').insert({ consent_id: consentId, status: change.status, actor: change.actor, reason: change.reason ?? null, changed_at: at });
}

export async function listStatusHistory(db: Knex, consentId: string): Promise<Array<StatusChange & { changed_at: Date }>> {
  return db('consent_status_history').select('status', 'actor', 'reason', 'changed_at').where({ consent_id: consentId }).orderBy('id');
}

/** The live record of an idempotency key, if one was used in the last 24 hours. */
export async function findIdempotencyKey(db: Knex, clientId: string, kind: ConsentKind, key: string): Promise<IdempotencyRecord | undefined> {
  return db('consent_idempotency_keys')
    .first('request_hash', 'consent_id')
    .where({ client_id: clientId, kind, idempotency_key: key })
    .andWhere('expires_at', '>', db.fn.now());
}

/**
 * Records the key; an expired record of the same key is replaced. Resolves false when a live
 * record exists already (a concurrent request with the same key won the race).
 */
export async function insertIdempotencyKey(trx: Knex.Transaction, clientId: string, kind: ConsentKind, key: string, record: IdempotencyRecord, ttlSeconds: number): Promise<boolean> {
  const result = await trx.raw(
    `insert into consent_idempotency_keys (client_id, kind, idempotency_key, request_hash, consent_id, expires_at)
     values (?, ?, ?, ?, ?, now() + make_interval(secs => ?))
     on conflict (client_id, kind, idempotency_key) do update
       set request_hash = excluded.request_hash, consent_id = excluded.consent_id, expires_at = excluded.expires_at
       where consent_idempotency_keys.expires_at <= now()
     returning consent_id`,
    [clientId, kind, key, record.request_hash, record.consent_id, ttlSeconds],
  );
  return result.rows.length === 1;
}

/** The consent bound to an authorization's grant, if any. */
export async function findConsentIdByGrant(db: Knex, grantId: string): Promise<string | undefined> {
  const row: { id: string } | undefined = await db('consents').first('id').where({ grant_id: grantId });
  return row?.id;
}

/** The customer's consents in these statuses, newest first. */
export async function listCustomerConsents(db: Knex, customerId: string, statuses: readonly ConsentStatus[]): Promise<Consent[]> {
  return db('consents').select('*').where({ customer_id: customerId }).whereIn('status', statuses).orderBy('status_updated_at', 'desc');
}
