import type { KindedRequest } from './consent-kinds.ts';

/**
 * When a consent ends: the `ExpirationDateTime` of an account access or funds confirmation
 * request (OBReadConsent1, OBFundsConfirmationConsent1), which the schema has made an RFC 3339
 * date-time; undefined when it is open-ended or the kind has none (payments).
 */
export function consentExpiry(consent: KindedRequest): Date | undefined {
  if (consent.kind !== 'account-access' && consent.kind !== 'funds-confirmation') return undefined;
  const expiration = consent.request.Data.ExpirationDateTime;
  return expiration === undefined ? undefined : new Date(expiration);
}
