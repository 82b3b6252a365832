import { z } from 'zod';

import { OB_PERMISSIONS } from './ob-vocabulary.ts';


const dateTime = z.iso.datetime({ offset: true });

/** An account as UK payment schemes identify it (OBCashAccount). */
const account = z.strictObject({
  schemeName: z.string().min(1).max(40),
  identification: z.string().min(1).max(256),
  name: z.string().min(1).max(350).optional(),
  secondaryIdentification: z.string().min(1).max(34).optional(),
});

/**
 * RAR (RFC 9396) `account_information`: the account access consent of UK Open Banking, carried in
 * the authorization request instead of created beforehand. Field names follow RFC 9396's examples.
 */
export const accountInformationSchema = z.strictObject({
  type: z.literal('account_information'),
  permissions: z.array(z.enum(OB_PERMISSIONS)).min(1),
  expirationDateTime: dateTime.optional(),
  transactionFromDateTime: dateTime.optional(),
  transactionToDateTime: dateTime.optional(),
  locations: z.array(z.url()).optional(),
});

/** RAR (RFC 9396 §2 example) `payment_initiation`: a single domestic payment. */
export const paymentInitiationSchema = z.strictObject({
  type: z.literal('payment_initiation'),
  instructedAmount: z.strictObject({
    currency: z.string().regex(/^[A-Z]{3}$/),
    amount: z.string().regex(/^\d{1,13}(\.\d{1,5})?$/),
  }),
  creditorName: z.string().min(1).max(350),
  creditorAccount: account,
  debtorAccount: account.optional(),
  remittanceInformationUnstructured: z.string().min(1).max(140).optional(),
  instructionIdentification: z.string().min(1).max(35).optional(),
  endToEndIdentification: z.string().min(1).max(35).optional(),
  locations: z.array(z.url()).optional(),
});

export type AccountInformationDetail = z.infer<typeof accountInformationSchema>;
export type PaymentInitiationDetail = z.infer<typeof paymentInitiationSchema>;
