import type { Knex } from 'knex';

import { requestHash } from '../openbanking/request-hash.ts';
import type { ConsentContext } from './consent-context.ts';

import { consentExpiry } from './consent-expiry.ts';
import { CONSENT_KINDS, newConsentId, type ConsentKindSpec, type KindedRequest } from './consent-kinds.ts';
import { checkConsentRules } from './consent-rules.ts';
import { changeStatus, findConsent, findConsentForUpdate, findIdempotencyKey, insertConsent, insertIdempotencyKey, listStatusHistory, type ConsentActor, type Consent, type StatusChange } from './consent.store.ts';
import { assertTransition, type ConsentStatus } from './consent-status.ts';
import { badRequest, ObError } from '../openbanking/ob-error.ts';

/** OB Read/Write API: an idempotency key is valid for 24 hours. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface CreateConsentInput {
  /** The schema-valid body, with its kind. */
  consent: KindedRequest;
  clientId: string;
  /** Absent: the partner sent none, and the request makes a new consent whatever came before. */
  idempotencyKey?: string;
}

/**
 * Revokes a grant and every token under it, through `db` (a transaction when the caller has one
 * open); `revokeGrantTokens` of the token store, or a stand-in in tests.
 */
export type RevokeGrant = (db: Knex, grantId: string) => Promise<void>;

class IdempotencyRace extends Error {}

/**
 * Creates a consent in `AwaitingAuthorisation`, in one transaction with its first history entry
 * and its idempotency key, when the partner sent one. The same key with the same body (within 24 h) answers the consent made
 * the first time, even when both requests race; the same key with another body is refused.
 */
export async function createConsent(context: ConsentContext, input: CreateConsentInput): Promise<{ consent: Consent; created: boolean }> {
  const { db, events, clock } = context;
  const { consent: asked, clientId, idempotencyKey } = input;
  const fingerprint = requestHash(asked.request);
  const replayed = idempotencyKey === undefined ? undefined : await replayIdempotent(db, idempotencyKey, input, fingerprint);
  if (replayed) return { consent: replayed, created: false };
  checkConsentRules(asked, clock.now());

  try {
    const consent = await db.transaction(async (trx) => {
      const row = await insertConsent(trx, { ...asked, id: newConsentId(asked.kind), client_id: clientId, expires_at: consentExpiry(asked) ?? null }, 'partner');
      if (idempotencyKey === undefined) return row;
      const recorded = await insertIdempotencyKey(trx, clientId, asked.kind, idempotencyKey, { request_hash: fingerprint, consent_id: row.id }, IDEMPOTENCY_TTL_SECONDS);
      if (!recorded) throw new IdempotencyRace();
      return row;
    });
    events.emit('consent.created', { consentId: consent.id, kind: consent.kind, clientId });
    return { consent, created: true };
  } catch (error) {
    if (!(error instanceof IdempotencyRace) || idempotencyKey === undefined) throw error;
    // Another request with this key committed first; its answer is ours (or a mismatch).
    const winner = await replayIdempotent(db, idempotencyKey, input, fingerprint);
    if (!winner) throw error;
    return { consent: winner, created: false };
  }
}

async function replayIdempotent(db: Knex, idempotencyKey: string, input: CreateConsentInput, fingerprint: string): Promise<Consent | undefined> {
  const record = await findIdempotencyKey(db, input.clientId, input.consent.kind, idempotencyKey);
  if (!record) return undefined;
  if (record.request_hash !== fingerprint) {
    throw badRequest('UK.OBIE.Header.Invalid', 'x-idempotency-key was already used with a different request body', 'x-idempotency-key');
  }
  return findConsent(db, record.consent_id);
}

/**
 * The partner's consent of this kind. Another partner's consent, or one of another kind, is
 * reported exactly as a missing one, so that ConsentIds cannot be probed.
 */
export async function readConsent(db: Knex, kind: ConsentKindSpec, clientId: string, id: string): Promise<Consent> {
  const consent = await findConsent(db, id);
  if (!consent || consent.kind !== kind.kind || consent.client_id !== clientId) {
    throw badRequest('UK.OBIE.Resource.NotFound', `No ${kind.kind} consent ${id} exists for this client`, 'ConsentId');
  }
  return consent;
}

/**
 * The partner withdraws a consent (DELETE): an authorised one becomes `Revoked` and every token of
 * its grant is revoked with it; one nobody authorised yet becomes `Rejected`.
 */
export async function withdrawConsent(context: ConsentContext, kind: ConsentKindSpec, clientId: string, id: string, revokeGrant: RevokeGrant): Promise<void> {
  await readConsent(context.db, kind, clientId, id);
  await endConsent(context, id, 'partner', revokeGrant, 'withdrawn by the partner');
}

/**
 * Ends a consent on behalf of `actor` (the partner's DELETE, the customer's dashboard, ops):
 * `Authorised` -> `Revoked`, `AwaitingAuthorisation` -> `Rejected`. The status change and the
 * revocation of its grant and every token under it are one transaction: a consent never reads
 * `Revoked` while its refresh tokens live on, and if the revocation fails nothing changes, so a
 * retry reaches the tokens. Throws `InvalidConsentStatus` for a consent that has already ended.
 */
export async function endConsent(context: ConsentContext, id: string, actor: ConsentActor, revokeGrant: RevokeGrant, reason: string): Promise<Consent> {
  const { from, ended } = await context.db.transaction(async (trx) => {
    const consent = await findConsentForUpdate(trx, id);
    if (!consent) throw badRequest('UK.OBIE.Resource.NotFound', `No consent ${id} exists`, 'ConsentId');
    const family = CONSENT_KINDS[consent.kind].family;
    const next = consent.status === 'AwaitingAuthorisation' ? 'Rejected' : 'Revoked';
    assertTransition(family, consent.status, next);
    const changed = await changeStatus(trx, id, { status: next, actor, reason });
    if (changed.grant_id) await revokeGrant(trx, changed.grant_id);
    return { from: consent.status, ended: changed };
  });
  announceStatusChange(context, ended, { from, actor, reason });
  if (ended.grant_id) context.events.emit('grant.revoked', { grantId: ended.grant_id, reason: 'consent_ended' });
  return ended;
}

/** Announces a committed status change on the bus (`consent.status_changed`). */
export function announceStatusChange(context: ConsentContext, consent: Consent, change: { from: ConsentStatus | null; actor: ConsentActor; reason?: string }): void {
  context.events.emit('consent.status_changed', {
    consentId: consent.id,
    kind: consent.kind,
    clientId: consent.client_id,
    from: change.from,
    to: consent.status,
    actor: change.actor,
    ...(change.reason === undefined ? {} : { reason: change.reason }),
    ...(consent.customer_id ? { customerId: consent.customer_id } : {}),
    ...(consent.grant_id ? { grantId: consent.grant_id } : {}),
  });
}

/**
 * The consent an access token from the authorization code grant was issued for: one of this
 * partner's, authorised under exactly that grant. Anything else is `ConsentMismatch`.
 */
export async function readConsentOfGrant(db: Knex, kind: ConsentKindSpec, clientId: string, id: string, grantId: string | undefined): Promise<Consent> {
  const consent = await readConsent(db, kind, clientId, id);
  if (!grantId || consent.grant_id !== grantId) {
    throw new ObError(403, [{ ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Message: 'The access token was not issued for this consent', Path: 'ConsentId' }]);
  }
  if (consent.status !== 'Authorised') {
    throw badRequest('UK.OBIE.Resource.InvalidConsentStatus', `The consent is ${consent.status}, not Authorised`);
  }
  return consent;
}

/** A consent with every status it has had, oldest first, as operations look it up; undefined for an unknown id. */
export async function consentWithHistory(db: Knex, id: string): Promise<{ consent: Consent; history: Array<StatusChange & { changed_at: Date }> } | undefined> {
  const consent = await findConsent(db, id);
  return consent ? { consent, history: await listStatusHistory(db, consent.id) } : undefined;
}
