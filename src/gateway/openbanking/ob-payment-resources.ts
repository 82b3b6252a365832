import type { ConsentKind } from '../../consent/consent-kinds.ts';

/*
 * The payment resources of the Read/Write API v3.1.11 the gateway serves, relative to
 * `/open-banking/v3.1/pisp`: each submission (a POST that makes the payment its consent describes)
 * with the consent kind it consumes and the field of the bank's answer that names the payment,
 * and the GETs that read a payment back.
 */

/**
 * The most bytes of a payment resource's answer the gateway holds: it is a few KB, and the bank
 * keeps it for replays and signs what it sends, so it is read whole.
 */
export const MAX_PAYMENT_ANSWER_BYTES = 1024 * 1024;

export interface PaymentSubmissionResource {
  kind: ConsentKind;
  /** `Data.DomesticPaymentId`: the payment's id in the bank's answer. */
  idField: string;
}

export const OB_PAYMENT_SUBMISSIONS: ReadonlyMap<string, PaymentSubmissionResource> = new Map([
  ['/domestic-payments', { kind: 'domestic-payment', idField: 'DomesticPaymentId' }],
  ['/domestic-scheduled-payments', { kind: 'domestic-scheduled-payment', idField: 'DomesticScheduledPaymentId' }],
  ['/domestic-standing-orders', { kind: 'domestic-standing-order', idField: 'DomesticStandingOrderId' }],
]);

/** The GETs of a payment, by path template, with the path parameter that names it. */
export const OB_PAYMENT_READS: ReadonlyMap<string, { param: string }> = new Map([
  ['/domestic-payments/{DomesticPaymentId}', { param: 'DomesticPaymentId' }],
  ['/domestic-payments/{DomesticPaymentId}/payment-details', { param: 'DomesticPaymentId' }],
  ['/domestic-scheduled-payments/{DomesticScheduledPaymentId}', { param: 'DomesticScheduledPaymentId' }],
  ['/domestic-scheduled-payments/{DomesticScheduledPaymentId}/payment-details', { param: 'DomesticScheduledPaymentId' }],
  ['/domestic-standing-orders/{DomesticStandingOrderId}', { param: 'DomesticStandingOrderId' }],
  ['/domestic-standing-orders/{DomesticStandingOrderId}/payment-details', { param: 'DomesticStandingOrderId' }],
]);
