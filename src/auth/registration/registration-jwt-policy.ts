/**
 * What every JWT met during registration (the directory's software statement and the partner's
 * registration request) must satisfy, kept in one place so that both verifiers agree.
 */

/**
 * Signing algorithms accepted for software statements and registration requests. FAPI 2.0
 * Security Profile §5.4.1 allows PS256, ES256 and EdDSA; the UK Open Banking Directory and its
 * partners use PS256 and ES256 only, so EdDSA stays out until a directory needs it. Symmetric
 * algorithms, `none` and RS256 (PKCS#1 v1.5) are never accepted.
 */
export const registrationSigningAlgorithms = ['PS256', 'ES256'];

/**
 * Clock skew tolerated on `iat`, `nbf` and `exp`, in seconds. FAPI 2.0 Security Profile §5.3.2.1
 * says to accept timestamps up to 10 seconds in the future and to reject those 60 seconds or more
 * ahead; 30 sits between so that a partner with a slightly fast clock is not turned away.
 */
export const clockToleranceSeconds = 30;

/**
 * Tells whether an `iat` lies further in the future than the tolerated skew. jose checks this only
 * together with a maximum age, and a software statement has none by default.
 */
export function isIssuedInFuture(iat: number, now: Date): boolean {
  return iat > now.getTime() / 1000 + clockToleranceSeconds;
}
