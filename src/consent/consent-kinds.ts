import { randomUUID } from 'node:crypto';

import type { ObRole, ObScope } from '../openbanking/ob-vocabulary.ts';
import type { ObFundsConfirmationConsent1, ObReadConsent1, ObWriteDomesticConsent4, ObWriteDomesticScheduledConsent4, ObWriteDomesticStandingOrderConsent5 } from '../openbanking/ob-request.types.ts';

/*
 * The consent resources of the UK Open Banking Read/Write API v3.1.11 that Portcullis serves, and
 * what differs between them: where they live, which spec schema their bodies follow, which scope
 * and software role a partner needs, and whether they are signed. Everything else (storage,
 * idempotency, status history, errors) is the same code for all of them.
 */

/** The request body (validated against the spec schema of the same name) of each consent kind. */
export interface ConsentRequestOf {
  'account-access': ObReadConsent1;
  'domestic-payment': ObWriteDomesticConsent4;
  'domestic-scheduled-payment': ObWriteDomesticScheduledConsent4;
  'domestic-standing-order': ObWriteDomesticStandingOrderConsent5;
  'funds-confirmation': ObFundsConfirmationConsent1;
}

export type ConsentKind = keyof ConsentRequestOf;

/**
 * A consent request with its kind: the discriminated union every consent-shaped value extends
 * (a stored consent, one pending the customer's decision), so that a `switch` on `kind` types the
 * body without a cast.
 */
export type KindedRequest = { [K in ConsentKind]: { kind: K; request: ConsentRequestOf[K] } }[ConsentKind];

/** The payment kinds, whose bodies carry an `Initiation` to pay. */
export type PaymentKind = Exclude<ConsentKind, 'account-access' | 'funds-confirmation'>;

/** Every field the Initiation of any payment kind can carry, each optional: for code that reads whichever are there. */
export type AnyPaymentInitiation = Partial<ConsentRequestOf['domestic-payment']['Data']['Initiation'] & ConsentRequestOf['domestic-scheduled-payment']['Data']['Initiation'] & ConsentRequestOf['domestic-standing-order']['Data']['Initiation']>;

/** Status machines differ per family: AIS and CBPII consents are revoked, PIS consents consumed. */
export type ConsentFamily = 'ais' | 'pis' | 'cbpii';

export type ObSpec = 'account-info' | 'payment-initiation' | 'confirmation-funds';

export interface ConsentKindSpec<K extends ConsentKind = ConsentKind> {
  readonly kind: K;
  readonly family: ConsentFamily;
  /** Collection path; a consent is `${path}/{ConsentId}`. */
  readonly path: string;
  /** Prefix of generated ConsentIds, so that support staff can tell kinds apart at a glance. */
  readonly idPrefix: string;
  /** The client-credentials scope a partner's token must carry. */
  readonly scope: ObScope;
  /** The software statement role the partner must hold. */
  readonly role: ObRole;
  readonly spec: ObSpec;
  /** Component schema of the POST body, and of the responses. */
  readonly requestSchema: string;
  readonly responseSchema: string;
  /** Requests and responses carry `x-jws-signature` (payment consents, when signing is on). */
  readonly signed: boolean;
  /** The partner may DELETE it (AIS and CBPII); payment consents are consumed, not deleted. */
  readonly deletable: boolean;
  /** Its POST must carry `x-idempotency-key` (payment consents); the others honour one when sent. */
  readonly idempotencyKeyRequired: boolean;
}

/** A fresh ConsentId of this kind: its prefix and a random UUID. */
export function newConsentId(kind: ConsentKind): string {
  return `${CONSENT_KINDS[kind].idPrefix}${randomUUID()}`;
}

/**
 * Pairs a body with its kind. TypeScript cannot see that a generic `K` and `ConsentRequestOf[K]`
 * stay correlated inside the union, so the one cast that says so lives here.
 */
export function kinded<K extends ConsentKind>(kind: K, request: ConsentRequestOf[K]): KindedRequest {
  return { kind, request } as KindedRequest;
}

/** The kind and request of a consent-shaped value, without its other fields (a row's columns, a pending consent's source). */
export function kindedRequestOf(value: KindedRequest): KindedRequest {
  return kinded(value.kind, value.request);
}

export const CONSENT_KINDS: { readonly [K in ConsentKind]: ConsentKindSpec<K> } = {
  'account-access': {
    kind: 'account-access', family: 'ais', path: '/open-banking/v3.1/aisp/account-access-consents', idPrefix: 'aac-',
    scope: 'accounts', role: 'AISP', spec: 'account-info', requestSchema: 'OBReadConsent1', responseSchema: 'OBReadConsentResponse1',
    signed: false, deletable: true, idempotencyKeyRequired: false,
  },
  'domestic-payment': {
    kind: 'domestic-payment', family: 'pis', path: '/open-banking/v3.1/pisp/domestic-payment-consents', idPrefix: 'pdc-',
    scope: 'payments', role: 'PISP', spec: 'payment-initiation', requestSchema: 'OBWriteDomesticConsent4', responseSchema: 'OBWriteDomesticConsentResponse5',
    signed: true, deletable: false, idempotencyKeyRequired: true,
  },
  'domestic-scheduled-payment': {
    kind: 'domestic-scheduled-payment', family: 'pis', path: '/open-banking/v3.1/pisp/domestic-scheduled-payment-consents', idPrefix: 'sdp-',
    scope: 'payments', role: 'PISP', spec: 'payment-initiation', requestSchema: 'OBWriteDomesticScheduledConsent4', responseSchema: 'OBWriteDomesticScheduledConsentResponse5',
    signed: true, deletable: false, idempotencyKeyRequired: true,
  },
  'domestic-standing-order': {
    kind: 'domestic-standing-order', family: 'pis', path: '/open-banking/v3.1/pisp/domestic-standing-order-consents', idPrefix: 'sdo-',
    scope: 'payments', role: 'PISP', spec: 'payment-initiation', requestSchema: 'OBWriteDomesticStandingOrderConsent5', responseSchema: 'OBWriteDomesticStandingOrderConsentResponse6',
    signed: true, deletable: false, idempotencyKeyRequired: true,
  },
  'funds-confirmation': {
    kind: 'funds-confirmation', family: 'cbpii', path: '/open-banking/v3.1/cbpii/funds-confirmation-consents', idPrefix: 'fcc-',
    scope: 'fundsconfirmations', role: 'CBPII', spec: 'confirmation-funds', requestSchema: 'OBFundsConfirmationConsent1', responseSchema: 'OBFundsConfirmationConsentResponse1',
    signed: false, deletable: true, idempotencyKeyRequired: false,
  },
};
