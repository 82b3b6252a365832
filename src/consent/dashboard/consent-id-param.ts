// OB Read/Write: a ConsentId is Max128Text. Ours are `<prefix>-<uuid>`; anything outside this
// alphabet cannot be one, and never reaches a query.
const CONSENT_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The ConsentId in a path or query parameter, or undefined when it cannot be one. */
export function readConsentIdParam(value: unknown): string | undefined {
  return typeof value === 'string' && CONSENT_ID.test(value) ? value : undefined;
}
