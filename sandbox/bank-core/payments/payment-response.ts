import type { PaymentKindSpec } from './payment-kinds.ts';
import type { PaymentRow } from './payment.store.ts';

const REFUSALS: Readonly<Record<string, string>> = {
  'insufficient-funds': 'Insufficient funds in the account to pay from',
  rejected: 'The bank rejected the payment',
};

/** OBWriteDomesticResponse5 (and its kin): the answer as first sent, with the payment's status now. */
export function paymentResponse(spec: PaymentKindSpec, payment: PaymentRow, linkBase: string): Record<string, unknown> {
  return {
    Data: { ...payment.body, Status: payment.status, StatusUpdateDateTime: payment.status_at.toISOString() },
    Links: { Self: `${linkBase}${spec.path}/${payment.payment_id}` },
    Meta: {},
  };
}

// Payment details speak the ISO 20022 statuses: a scheduled payment or standing order set up is Accepted.
const DETAIL_STATUS: Readonly<Record<string, string>> = { InitiationCompleted: 'Accepted', InitiationFailed: 'Rejected' };

/**
 * OBWritePaymentDetailsResponse1: the payment's history, oldest first (settling, then settled; or
 * its refusal, with the reason).
 */
export function paymentDetailsResponse(spec: PaymentKindSpec, payment: PaymentRow, linkBase: string): Record<string, unknown> {
  const id = payment.transaction_id ?? payment.payment_id;
  const entry = (Status: string, at: Date) => ({ PaymentTransactionId: id, Status, StatusUpdateDateTime: at.toISOString() });
  let history: Array<Record<string, unknown>>;
  if (payment.refusal !== null) {
    history = [{ ...entry('Rejected', payment.status_at), StatusDetail: { Status: 'Rejected', StatusReason: 'ProprietaryRejection', StatusReasonDescription: REFUSALS[payment.refusal] ?? payment.refusal } }];
  } else if (payment.kind === 'domestic-payment') {
    history = [entry('AcceptedSettlementInProcess', payment.created_at), ...(payment.status === 'AcceptedSettlementCompleted' ? [entry('AcceptedSettlementCompleted', payment.status_at)] : [])];
  } else {
    history = [entry(DETAIL_STATUS[payment.status] ?? payment.status, payment.status_at)];
  }
  return { Data: { PaymentStatus: history }, Links: { Self: `${linkBase}${spec.path}/${payment.payment_id}/payment-details` }, Meta: {} };
}
