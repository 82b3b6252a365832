/*
 * The three domestic payment resources of the Read/Write API v3.1.11 the bank core makes, each
 * with its request schema, the field naming it, and where its amount and reference are.
 */

export type PaymentKind = 'domestic-payment' | 'domestic-scheduled-payment' | 'domestic-standing-order';

/** An Initiation as the bank core reads it; the whole of it is kept and echoed as sent. */
export interface Initiation {
  InstructedAmount?: { Amount: string; Currency: string };
  FirstPaymentAmount?: { Amount: string; Currency: string };
  RecurringPaymentAmount?: { Amount: string; Currency: string };
  FinalPaymentAmount?: { Amount: string; Currency: string };
  RemittanceInformation?: { Reference?: string };
  Reference?: string;
  CreditorAccount: { SchemeName: string; Identification: string; Name: string; SecondaryIdentification?: string };
  RequestedExecutionDateTime?: string;
  Frequency?: string;
  FirstPaymentDateTime?: string;
  RecurringPaymentDateTime?: string;
  FinalPaymentDateTime?: string;
  NumberOfPayments?: string;
}

/** OBWriteDomestic2 and its kin, once validated. */
export interface PaymentRequest {
  Data: { ConsentId: string; Initiation: Initiation };
  Risk: unknown;
}

export interface PaymentKindSpec {
  kind: PaymentKind;
  path: string;
  requestSchema: string;
  idField: string;
  /** Ids are `<prefix>-<32 hex>`: OB caps them at 40 characters. */
  idPrefix: string;
  /** The Initiation's amount: of the payment, or of a standing order's first payment. */
  amountField: 'InstructedAmount' | 'FirstPaymentAmount';
  referenceOf(initiation: Initiation): string | undefined;
}

const remittanceReference = (initiation: Initiation) => initiation.RemittanceInformation?.Reference;

export const PAYMENT_KINDS: Readonly<Record<PaymentKind, PaymentKindSpec>> = {
  'domestic-payment': { kind: 'domestic-payment', path: '/domestic-payments', requestSchema: 'OBWriteDomestic2', idField: 'DomesticPaymentId', idPrefix: 'dp', amountField: 'InstructedAmount', referenceOf: remittanceReference },
  'domestic-scheduled-payment': { kind: 'domestic-scheduled-payment', path: '/domestic-scheduled-payments', requestSchema: 'OBWriteDomesticScheduled2', idField: 'DomesticScheduledPaymentId', idPrefix: 'dsp', amountField: 'InstructedAmount', referenceOf: remittanceReference },
  'domestic-standing-order': { kind: 'domestic-standing-order', path: '/domestic-standing-orders', requestSchema: 'OBWriteDomesticStandingOrder3', idField: 'DomesticStandingOrderId', idPrefix: 'dso', amountField: 'FirstPaymentAmount', referenceOf: (initiation) => initiation.Reference },
};
