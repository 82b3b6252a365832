import { randomUUID } from 'node:crypto';

import type { AccountInformationDetail, PaymentInitiationDetail } from '../../openbanking/rar-details.schema.ts';
import { kinded, type KindedRequest } from '../consent-kinds.ts';
import type { ObAccount, ObReadConsent1, ObWriteDomesticConsent4 } from '../../openbanking/ob-request.types.ts';

// OB identifications are at most 35 characters; a UUID without dashes is 32.
function generatedIdentification(): string {
  return randomUUID().replaceAll('-', '');
}

function cashAccount(value: PaymentInitiationDetail['creditorAccount']): ObAccount {
  return {
    SchemeName: value.schemeName,
    Identification: value.identification,
    ...(value.name === undefined ? {} : { Name: value.name }),
    ...(value.secondaryIdentification === undefined ? {} : { SecondaryIdentification: value.secondaryIdentification }),
  };
}

function accountAccess(detail: AccountInformationDetail): ObReadConsent1 {
  return {
    Data: {
      Permissions: detail.permissions,
      ...(detail.expirationDateTime === undefined ? {} : { ExpirationDateTime: detail.expirationDateTime }),
      ...(detail.transactionFromDateTime === undefined ? {} : { TransactionFromDateTime: detail.transactionFromDateTime }),
      ...(detail.transactionToDateTime === undefined ? {} : { TransactionToDateTime: detail.transactionToDateTime }),
    },
    Risk: {},
  };
}

function domesticPayment(detail: PaymentInitiationDetail): ObWriteDomesticConsent4 {
  return {
    Data: {
      Initiation: {
        InstructionIdentification: detail.instructionIdentification ?? generatedIdentification(),
        EndToEndIdentification: detail.endToEndIdentification ?? generatedIdentification(),
        InstructedAmount: { Amount: detail.instructedAmount.amount, Currency: detail.instructedAmount.currency },
        ...(detail.debtorAccount ? { DebtorAccount: cashAccount(detail.debtorAccount) } : {}),
        CreditorAccount: { ...cashAccount(detail.creditorAccount), Name: detail.creditorAccount.name ?? detail.creditorName },
        ...(detail.remittanceInformationUnstructured ? { RemittanceInformation: { Unstructured: detail.remittanceInformationUnstructured } } : {}),
      },
    },
    Risk: {},
  };
}

/**
 * Maps an `account_information` or `payment_initiation` detail (already validated by the
 * provider against `authorization-details.schema.ts`) onto OBReadConsent1 / OBWriteDomesticConsent4,
 * so that a consent created by RAR is the same resource, with the same rules and the same page, as
 * one created through the consent API.
 */
export function consentFromDetails(detail: AccountInformationDetail | PaymentInitiationDetail): KindedRequest {
  return detail.type === 'account_information' ? kinded('account-access', accountAccess(detail)) : kinded('domestic-payment', domesticPayment(detail));
}
