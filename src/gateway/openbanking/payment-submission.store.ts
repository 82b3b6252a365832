import type { Knex } from 'knex';

/* Payment submissions as rows; only this file writes their SQL. */

export type SubmissionState = 'pending' | 'answered' | 'failed';

export interface PaymentSubmissionRow {
  id: string;
  client_id: string;
  kind: string;
  idempotency_key: string;
  consent_id: string;
  request_hash: string;
  state: SubmissionState;
  response_status: number | null;
  response_body: unknown;
  payment_id: string | null;
  created_at: Date;
  expires_at: Date;
  /** When it was last sent to the bank. */
  sent_at: Date;
}

/** The live submission under a partner's idempotency key, locked for the rest of the transaction. */
export async function findSubmissionForUpdate(trx: Knex.Transaction, key: { clientId: string; kind: string; idempotencyKey: string }, now: Date): Promise<PaymentSubmissionRow | undefined> {
  return trx('gateway_payment_submissions').first('*').where({ client_id: key.clientId, kind: key.kind, idempotency_key: key.idempotencyKey }).andWhere('expires_at', '>', now).forUpdate();
}

/**
 * Frees the key of a submission whose 24 hours have passed, so that the partner may use it again;
 * the submission itself stays (its payment can still be read, its consent stays consumed).
 */
export async function releaseExpiredKey(trx: Knex.Transaction, key: { clientId: string; kind: string; idempotencyKey: string }, now: Date): Promise<void> {
  await trx('gateway_payment_submissions')
    .where({ client_id: key.clientId, kind: key.kind, idempotency_key: key.idempotencyKey })
    .andWhere('expires_at', '<=', now)
    .update({ idempotency_key: trx.raw("idempotency_key || ' (expired ' || id || ')'") });
}

export async function insertSubmission(trx: Knex.Transaction, row: Pick<PaymentSubmissionRow, 'id' | 'client_id' | 'kind' | 'idempotency_key' | 'consent_id' | 'request_hash' | 'expires_at' | 'sent_at'>): Promise<void> {
  await trx('gateway_payment_submissions').insert({ ...row, state: 'pending' });
}

/** The submission is being sent to the bank (again), as of `at`. */
export async function markSubmissionSent(trx: Knex.Transaction, id: string, at: Date): Promise<void> {
  await trx('gateway_payment_submissions').where({ id }).update({ state: 'pending', sent_at: at });
}

export async function setSubmissionState(db: Knex, id: string, state: Exclude<SubmissionState, 'pending'>): Promise<void> {
  await db('gateway_payment_submissions').where({ id }).update({ state });
}

export async function recordSubmissionAnswer(db: Knex, id: string, answer: { status: number; body: unknown; paymentId: string | null }): Promise<void> {
  await db('gateway_payment_submissions').where({ id }).update({ state: 'answered', response_status: answer.status, response_body: JSON.stringify(answer.body), payment_id: answer.paymentId });
}

/** The submission of a payment the bank made for this partner. */
export async function findSubmissionByPayment(db: Knex, clientId: string, paymentId: string): Promise<PaymentSubmissionRow | undefined> {
  return db('gateway_payment_submissions').first('*').where({ client_id: clientId, payment_id: paymentId });
}
