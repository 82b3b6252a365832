import type { ObFundsConfirmationConsent1, ObReadConsent1, ObWriteDomesticConsent4, ObWriteDomesticScheduledConsent4, ObWriteDomesticStandingOrderConsent5 } from '../../src/openbanking/ob-request.types.ts';

/** Valid consent request bodies, one per kind, dated relative to now so that they stay valid. */

const DAY_MS = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

export function accountAccessBody(): ObReadConsent1 {
  return {
    Data: {
      Permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsCredits', 'ReadTransactionsDebits', 'ReadTransactionsDetail'],
      ExpirationDateTime: inDays(90),
      TransactionFromDateTime: inDays(-365),
      TransactionToDateTime: inDays(90),
    },
    Risk: {},
  };
}

const creditor = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '08080021325698', Name: 'ACME Energy Ltd' };
const risk = { PaymentContextCode: 'BillingGoodsAndServicesInAdvance', MerchantCategoryCode: '4900' };

export function domesticPaymentBody(amount = '165.88'): ObWriteDomesticConsent4 {
  return {
    Data: {
      Initiation: {
        InstructionIdentification: 'ACME412',
        EndToEndIdentification: 'FRESCO.21302.GFX.20',
        LocalInstrument: 'UK.OBIE.FPS',
        InstructedAmount: { Amount: amount, Currency: 'GBP' },
        CreditorAccount: creditor,
        RemittanceInformation: { Reference: 'FRESCO-101', Unstructured: 'Internal ops code 5120101' },
      },
    },
    Risk: risk,
  };
}

export function scheduledPaymentBody(): ObWriteDomesticScheduledConsent4 {
  return {
    Data: {
      Permission: 'Create',
      Initiation: {
        InstructionIdentification: 'ACME413',
        RequestedExecutionDateTime: inDays(7),
        InstructedAmount: { Amount: '20.00', Currency: 'GBP' },
        CreditorAccount: creditor,
      },
    },
    Risk: risk,
  };
}

export function standingOrderBody(): ObWriteDomesticStandingOrderConsent5 {
  return {
    Data: {
      Permission: 'Create',
      Initiation: {
        Frequency: 'IntrvlMnthDay:01:15',
        Reference: 'Rent',
        FirstPaymentDateTime: inDays(10),
        FinalPaymentDateTime: inDays(400),
        FirstPaymentAmount: { Amount: '750.00', Currency: 'GBP' },
        RecurringPaymentAmount: { Amount: '750.00', Currency: 'GBP' },
        CreditorAccount: creditor,
      },
    },
    Risk: risk,
  };
}

export function fundsConfirmationBody(): ObFundsConfirmationConsent1 {
  return {
    Data: {
      ExpirationDateTime: inDays(180),
      DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Alice Carter' },
    },
  };
}
