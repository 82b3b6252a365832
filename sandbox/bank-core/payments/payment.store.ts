import type { Knex } from 'knex';

/** A payment the bank core made (sandbox_payments); `body` is its answer's Data as first sent. */
export interface PaymentRow {
  payment_id: string;
  kind: string;
  consent_id: string;
  account_id: string;
  status: string;
  status_at: Date;
  body: Record<string, unknown>;
  created_at: Date;
  client_id: string | null;
  transaction_id: string | null;
  /** Why it was refused: `insufficient-funds` or `rejected`. */
  refusal: string | null;
  /** When a scheduled payment or standing order next debits the account; null when it has nothing (left) to pay. */
  next_execution_at: Date | null;
  /** Payments a scheduled payment or standing order has made so far. */
  executions: number;
}

/** The payment a consent made, if it made one: a consent pays once. */
export async function findPaymentByConsent(db: Knex, consentId: string): Promise<PaymentRow | undefined> {
  return db<PaymentRow>('sandbox_payments').where({ consent_id: consentId }).first();
}

/** A payment by its id, of any kind and partner (the caller checks both). */
export async function findPayment(db: Knex, paymentId: string): Promise<PaymentRow | undefined> {
  return db<PaymentRow>('sandbox_payments').where({ payment_id: paymentId }).first();
}

/** Records a payment as made, with its first answer. */
export async function insertPayment(db: Knex, row: PaymentRow): Promise<void> {
  await db('sandbox_payments').insert({ ...row, body: JSON.stringify(row.body) });
}

/** Payments still settling that were made before `madeBefore`, locked (those another request settles are skipped). */
export async function findDueSettlements(db: Knex, scope: { accountIds?: readonly string[]; paymentId?: string }, madeBefore: Date): Promise<PaymentRow[]> {
  const query = db<PaymentRow>('sandbox_payments').where({ status: 'AcceptedSettlementInProcess' }).andWhere('created_at', '<=', madeBefore);
  if (scope.accountIds) query.whereIn('account_id', scope.accountIds);
  if (scope.paymentId !== undefined) query.andWhere({ payment_id: scope.paymentId });
  return query.orderBy('created_at').forUpdate().skipLocked();
}

/** Moves a payment to `status`, as of `at`. */
export async function changePaymentStatus(db: Knex, paymentId: string, status: string, at: Date): Promise<void> {
  await db('sandbox_payments').where({ payment_id: paymentId }).update({ status, status_at: at });
}

/** Scheduled payments and standing orders in `scope` whose next payment is due by `now`, locked (those another request runs are skipped), oldest due first. */
export async function findDueExecutions(db: Knex, scope: { accountIds?: readonly string[]; paymentId?: string }, now: Date): Promise<PaymentRow[]> {
  const query = db<PaymentRow>('sandbox_payments').where('next_execution_at', '<=', now);
  if (scope.accountIds) query.whereIn('account_id', scope.accountIds);
  if (scope.paymentId !== undefined) query.andWhere({ payment_id: scope.paymentId });
  return query.orderBy('next_execution_at').forUpdate().skipLocked();
}

/** Records a payment made by a scheduled payment or standing order: how many so far, and when the next is due. */
export async function recordExecution(db: Knex, paymentId: string, executions: number, next: Date | null): Promise<void> {
  await db('sandbox_payments').where({ payment_id: paymentId }).update({ executions, next_execution_at: next });
}
