/*
 * The consent request bodies as services read them, once `obBodyValidator` has checked them
 * against the Read/Write API v3.1.11 schemas of the same name. Written by hand from those schemas:
 * a field is optional here exactly when the schema does not list it in `required`. Parts that
 * services only store and echo back (Risk, SupplementaryData) stay opaque records.
 *
 * Date-times are strings: the schema guarantees an RFC 3339 date-time with a time zone, and the
 * service that needs an instant parses it.
 */

import type { ObPermission } from './ob-vocabulary.ts';

/** POST /account-access-consents (account-info spec). */
export interface ObReadConsent1 {
  Data: {
    Permissions: ObPermission[];
    ExpirationDateTime?: string;
    TransactionFromDateTime?: string;
    TransactionToDateTime?: string;
  };
  /** OBRisk2: an empty object in v3.1.11. */
  Risk: Record<string, unknown>;
}

/** An account by scheme (`UK.OBIE.SortCodeAccountNumber`, `UK.OBIE.IBAN`, …; a namespaced, open list). */
export interface ObAccount {
  SchemeName: string;
  Identification: string;
  Name?: string;
  SecondaryIdentification?: string;
}

/** POST /funds-confirmation-consents (confirmation-funds spec). */
export interface ObFundsConfirmationConsent1 {
  Data: {
    ExpirationDateTime?: string;
    DebtorAccount: ObAccount;
  };
}

/** OBActiveOrHistoricCurrencyAndAmount: a decimal string (`"10.50"`) and an ISO 4217 code. */
export interface ObAmount {
  Amount: string;
  Currency: string;
}

/** The payee: unlike the debtor, its `Name` is required. */
export interface ObCreditorAccount extends ObAccount {
  Name: string;
}

/** OBPostalAddress6. */
export interface ObPostalAddress {
  AddressType?: 'Business' | 'Correspondence' | 'DeliveryTo' | 'MailTo' | 'POBox' | 'Postal' | 'Residential' | 'Statement';
  Department?: string;
  SubDepartment?: string;
  StreetName?: string;
  BuildingNumber?: string;
  PostCode?: string;
  TownName?: string;
  CountrySubDivision?: string;
  Country?: string;
  AddressLine?: string[];
}

export interface ObRemittanceInformation {
  Unstructured?: string;
  Reference?: string;
}

/** Data.Authorisation of the payment consents: who must authorise (multi-authorisation accounts). */
export interface ObAuthorisation {
  AuthorisationType: 'Any' | 'Single';
  CompletionDateTime?: string;
}

/** OBSCASupportData1. */
export interface ObScaSupportData {
  RequestedSCAExemptionType?: 'BillPayment' | 'ContactlessTravel' | 'EcommerceGoods' | 'EcommerceServices' | 'Kiosk' | 'Parking' | 'PartyToParty';
  AppliedAuthenticationApproach?: 'CA' | 'SCA';
  ReferencePaymentOrderId?: string;
}

/** The Data fields every payment consent shares besides its Initiation. */
interface ObPaymentConsentData {
  ReadRefundAccount?: 'No' | 'Yes';
  Authorisation?: ObAuthorisation;
  SCASupportData?: ObScaSupportData;
}

/** The Initiation fields a single domestic payment and a scheduled one share. */
interface ObDomesticInitiation {
  InstructionIdentification: string;
  LocalInstrument?: string;
  InstructedAmount: ObAmount;
  DebtorAccount?: ObAccount;
  CreditorAccount: ObCreditorAccount;
  CreditorPostalAddress?: ObPostalAddress;
  RemittanceInformation?: ObRemittanceInformation;
  SupplementaryData?: Record<string, unknown>;
}

/** POST /domestic-payment-consents (payment-initiation spec). */
export interface ObWriteDomesticConsent4 {
  Data: ObPaymentConsentData & {
    Initiation: ObDomesticInitiation & { EndToEndIdentification: string };
  };
  /** OBRisk1. */
  Risk: Record<string, unknown>;
}

/** POST /domestic-scheduled-payment-consents (payment-initiation spec). */
export interface ObWriteDomesticScheduledConsent4 {
  Data: ObPaymentConsentData & {
    Permission: 'Create';
    Initiation: ObDomesticInitiation & { EndToEndIdentification?: string; RequestedExecutionDateTime: string };
  };
  /** OBRisk1. */
  Risk: Record<string, unknown>;
}

/** POST /domestic-standing-order-consents (payment-initiation spec). */
export interface ObWriteDomesticStandingOrderConsent5 {
  Data: ObPaymentConsentData & {
    Permission: 'Create';
    Initiation: {
      /** An ISO 20022-style schedule code such as `EvryDay` or `IntrvlMnthDay:01:15`. */
      Frequency: string;
      Reference?: string;
      NumberOfPayments?: string;
      FirstPaymentDateTime: string;
      RecurringPaymentDateTime?: string;
      FinalPaymentDateTime?: string;
      FirstPaymentAmount: ObAmount;
      RecurringPaymentAmount?: ObAmount;
      FinalPaymentAmount?: ObAmount;
      DebtorAccount?: ObAccount;
      CreditorAccount: ObCreditorAccount;
      SupplementaryData?: Record<string, unknown>;
    };
  };
  /** OBRisk1. */
  Risk: Record<string, unknown>;
}
