import { randomUUID } from 'node:crypto';

import canonicalize from 'canonicalize';

import { defaults } from '../../config/defaults.ts';
import { announceStatusChange } from '../../consent/consent.service.ts';
import { changeStatus, findConsentForUpdate, type Consent } from '../../consent/consent.store.ts';
import type { ServiceContext } from '../../events/service-context.ts';
import { badRequest, ObError } from '../../openbanking/ob-error.ts';
import { requestHash } from '../../openbanking/request-hash.ts';
import { findSubmissionByPayment, findSubmissionForUpdate, insertSubmission, markSubmissionSent, recordSubmissionAnswer, releaseExpiredKey, setSubmissionState, type PaymentSubmissionRow } from './payment-submission.store.ts';
import type { PaymentSubmissionResource } from './ob-payment-resources.ts';

/** OB Read/Write API: an idempotency key is valid for 24 hours. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

// A submission left pending longer than any request can take has no request behind it any more.
const stillInFlight = (submission: PaymentSubmissionRow, now: Date) => now.getTime() - submission.sent_at.getTime() < defaults.gateway.paymentSubmissionLease * 1000;

/** The parts of a submission body the gateway checks (the bank core checks the rest against its schema). */
export interface PaymentSubmissionBody {
  Data?: { ConsentId?: unknown; Initiation?: unknown };
  Risk?: unknown;
}

export type SubmissionStart =
  /** Send it to the bank, then record its answer under `submissionId`. */
  | { send: { submissionId: string; consent: Consent | undefined } }
  /** Sent before under this key: the bank's answer then is the answer now. */
  | { replay: { status: number; body: unknown } };

const forbidden = (code: 'UK.OBIE.Resource.InvalidConsentStatus' | 'UK.OBIE.Resource.ConsentMismatch', message: string) => new ObError(403, [{ ErrorCode: code, Message: message }]);
const same = (a: unknown, b: unknown) => canonicalize(a) === canonicalize(b);

/** Checks the submission against its consent, which it must repeat exactly (OB: Initiation and Risk as consented). */
function checkAgainstConsent(consent: Consent | undefined, resource: PaymentSubmissionResource, clientId: string, body: PaymentSubmissionBody, now: Date): Consent {
  if (!consent || consent.kind !== resource.kind || consent.client_id !== clientId) {
    throw badRequest('UK.OBIE.Resource.ConsentMismatch', `Data.ConsentId is not a ${resource.kind} consent of this client`, 'Data.ConsentId');
  }
  if (consent.status === 'Consumed') throw forbidden('UK.OBIE.Resource.InvalidConsentStatus', 'The consent has been used: a payment consent pays once');
  if (consent.status !== 'Authorised') throw forbidden('UK.OBIE.Resource.InvalidConsentStatus', `The consent is ${consent.status}, not Authorised`);
  if (consent.expires_at && consent.expires_at.getTime() <= now.getTime()) throw forbidden('UK.OBIE.Resource.InvalidConsentStatus', 'The consent has expired');
  const consented = consent.request as { Data: { Initiation: unknown }; Risk: unknown };
  if (!same(body.Data?.Initiation, consented.Data.Initiation)) {
    throw badRequest('UK.OBIE.Resource.ConsentMismatch', 'Data.Initiation differs from the consent\'s Initiation; it must repeat it exactly', 'Data.Initiation');
  }
  if (!same(body.Risk ?? {}, consented.Risk ?? {})) throw badRequest('UK.OBIE.Resource.ConsentMismatch', 'Risk differs from the consent\'s Risk', 'Risk');
  return consent;
}

/**
 * Starts a payment submission, in one transaction: the same idempotency key with the same body
 * gets the bank's earlier answer (or, if none came, is sent again); with another body, 400.
 * Otherwise the consent (the token's, named again in Data.ConsentId) must be Authorised,
 * unexpired and repeated exactly, and it becomes Consumed here, before the bank is called: a
 * consent pays once, however many requests race for it.
 */
export async function beginPaymentSubmission(context: ServiceContext, input: {
  clientId: string; resource: PaymentSubmissionResource; idempotencyKey: string; body: PaymentSubmissionBody; tokenConsentId: string;
}): Promise<SubmissionStart> {
  const { clientId, resource, idempotencyKey, body } = input;
  if (body.Data?.ConsentId !== input.tokenConsentId) {
    throw badRequest('UK.OBIE.Resource.ConsentMismatch', 'Data.ConsentId is not the consent this access token was issued for', 'Data.ConsentId');
  }
  const fingerprint = requestHash(body);
  const now = context.clock.now();
  const key = { clientId, kind: resource.kind, idempotencyKey };
  const outcome = await context.db.transaction(async (trx): Promise<SubmissionStart> => {
    await releaseExpiredKey(trx, key, now);
    const earlier = await findSubmissionForUpdate(trx, key, now);
    if (earlier) {
      if (earlier.request_hash !== fingerprint) throw badRequest('UK.OBIE.Header.Invalid', 'x-idempotency-key was already used with a different request body', 'x-idempotency-key');
      if (earlier.state === 'answered') return { replay: { status: earlier.response_status!, body: earlier.response_body } };
      if (earlier.state === 'pending' && stillInFlight(earlier, now)) {
        throw new ObError(409, [{ ErrorCode: 'UK.OBIE.Resource.InvalidConsentStatus', Message: 'This payment is being submitted already; ask again in a moment' }], { headers: { 'Retry-After': '2' } });
      }
      await markSubmissionSent(trx, earlier.id, now);
      return { send: { submissionId: earlier.id, consent: undefined } };
    }
    const consent = checkAgainstConsent(await findConsentForUpdate(trx, input.tokenConsentId), resource, clientId, body, now);
    const submissionId = `pay-${randomUUID()}`;
    await insertSubmission(trx, { id: submissionId, client_id: clientId, kind: resource.kind, idempotency_key: idempotencyKey, consent_id: consent.id, request_hash: fingerprint, expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS), sent_at: now });
    const consumed = await changeStatus(trx, consent.id, { status: 'Consumed', actor: 'partner', reason: 'payment submitted' });
    return { send: { submissionId, consent: consumed } };
  });
  if ('send' in outcome && outcome.send.consent) announceStatusChange(context, outcome.send.consent, { from: 'Authorised', actor: 'partner', reason: 'payment submitted' });
  return outcome;
}

/** Keeps the bank's answer, for replays and for reading the payment back. */
export async function finishPaymentSubmission(context: Pick<ServiceContext, 'db'>, submissionId: string, resource: PaymentSubmissionResource, answer: { status: number; body: unknown }): Promise<void> {
  const data = (answer.body as { Data?: Record<string, unknown> } | null)?.Data;
  const paymentId = typeof data?.[resource.idField] === 'string' ? data[resource.idField] as string : null;
  await recordSubmissionAnswer(context.db, submissionId, { ...answer, paymentId });
}

/** No answer came from the bank: the same request, under the same key, may be sent again. */
export async function failPaymentSubmission(context: Pick<ServiceContext, 'db'>, submissionId: string): Promise<void> {
  await setSubmissionState(context.db, submissionId, 'failed');
}

/** Whether this client's submission made this payment. */
export async function paymentOfClient(context: Pick<ServiceContext, 'db'>, clientId: string, paymentId: string): Promise<PaymentSubmissionRow | undefined> {
  return findSubmissionByPayment(context.db, clientId, paymentId);
}
