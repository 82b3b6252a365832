/**
 * When a consent ends, from its request `Data` (OBReadConsent1, OBFundsConfirmationConsent1):
 * `ExpirationDateTime`, which the schema has made an RFC 3339 date-time; undefined when it is
 * open-ended or the kind has none (payments).
 */
export function consentExpiry(data: Record<string, unknown>): Date | undefined {
  const expiration = data['ExpirationDateTime'];
  return typeof expiration === 'string' ? new Date(expiration) : undefined;
}
