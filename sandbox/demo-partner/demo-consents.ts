import { CONSENT_KINDS, type ConsentKindSpec } from '../../src/consent/consent-kinds.ts';

/**
 * The three consents the demo partner asks for, one per Open Banking role, with request bodies
 * in the OB Read/Write v3.1.11 shape. Dates are relative to now so that they are always valid.
 * The funds confirmation consent names Alice's current account, because the customer approves
 * it as it stands and may only approve one for an account of their own.
 */

export type DemoConsentName = 'accounts' | 'payment' | 'funds';

export interface DemoConsent {
  /** Where it is created, the scope of the token that creates it, whether it is signed. */
  kind: ConsentKindSpec;
  body(): unknown;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

export const DEMO_CONSENTS: Readonly<Record<DemoConsentName, DemoConsent>> = {
  accounts: {
    kind: CONSENT_KINDS['account-access'],
    body: () => ({
      Data: {
        Permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsCredits', 'ReadTransactionsDebits', 'ReadTransactionsDetail'],
        ExpirationDateTime: inDays(90),
        TransactionFromDateTime: inDays(-365),
        TransactionToDateTime: inDays(90),
      },
      Risk: {},
    }),
  },
  payment: {
    kind: CONSENT_KINDS['domestic-payment'],
    body: () => ({
      Data: {
        Initiation: {
          InstructionIdentification: 'DEMO-0001',
          EndToEndIdentification: 'DEMO-BUDGET-0001',
          LocalInstrument: 'UK.OBIE.FPS',
          InstructedAmount: { Amount: '25.00', Currency: 'GBP' },
          CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '08080021325698', Name: 'ACME Energy Ltd' },
          RemittanceInformation: { Reference: 'ENERGY-BILL' },
        },
      },
      Risk: { PaymentContextCode: 'BillingGoodsAndServicesInArrears' },
    }),
  },
  funds: {
    kind: CONSENT_KINDS['funds-confirmation'],
    body: () => ({
      Data: {
        ExpirationDateTime: inDays(180),
        DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Alice Carter' },
      },
    }),
  },
};
