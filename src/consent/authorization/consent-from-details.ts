import { randomUUID } from 'node:crypto';

import type { AccountInformationDetail, PaymentInitiationDetail } from '../../auth/provider/authorization-details.schema.ts';
import type { ConsentKind } from '../consent-kinds.ts';

/** A consent described by RAR details, in the shape the consent API stores for the same kind. */
export interface ConsentFromDetails {
  kind: ConsentKind;
  request: { Data: Record<string, unknown>; Risk: Record<string, unknown> };
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

// OB identifications are at most 35 characters; a UUID without dashes is 32.
function generatedIdentification(): string {
  return randomUUID().replaceAll('-', '');
}

/**
 * Maps an `account_information` or `payment_initiation` detail (already validated by the
 * provider against `authorization-details.schema.ts`) onto OBReadConsent1 / OBWriteDomesticConsent4
 * `Data`, so that a consent created by RAR is the same resource, with the same rules and the same
 * page, as one created through the consent API.
 */
export function consentFromDetails(detail: AccountInformationDetail | PaymentInitiationDetail): ConsentFromDetails {
  if (detail.type === 'account_information') {
    return {
      kind: 'account-access',
      request: {
        Data: withoutUndefined({
          Permissions: detail.permissions,
          ExpirationDateTime: detail.expirationDateTime,
          TransactionFromDateTime: detail.transactionFromDateTime,
          TransactionToDateTime: detail.transactionToDateTime,
        }),
        Risk: {},
      },
    };
  }
  const account = (value: PaymentInitiationDetail['creditorAccount']) => withoutUndefined({
    SchemeName: value.schemeName, Identification: value.identification, Name: value.name, SecondaryIdentification: value.secondaryIdentification,
  });
  return {
    kind: 'domestic-payment',
    request: {
      Data: {
        Initiation: withoutUndefined({
          InstructionIdentification: detail.instructionIdentification ?? generatedIdentification(),
          EndToEndIdentification: detail.endToEndIdentification ?? generatedIdentification(),
          InstructedAmount: { Amount: detail.instructedAmount.amount, Currency: detail.instructedAmount.currency },
          DebtorAccount: detail.debtorAccount ? account(detail.debtorAccount) : undefined,
          CreditorAccount: { ...account(detail.creditorAccount), Name: detail.creditorAccount.name ?? detail.creditorName },
          RemittanceInformation: detail.remittanceInformationUnstructured ? { Unstructured: detail.remittanceInformationUnstructured } : undefined,
        }),
      },
      Risk: {},
    },
  };
}
