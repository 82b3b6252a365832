import { Secret, TOTP } from 'otpauth';

/*
 * The operators' second factor: TOTP (RFC 6238) as every authenticator app reads it from an
 * `otpauth://` URI: HMAC-SHA-1, 6 digits, 30-second steps. A code is accepted for the step it is
 * typed in and one step either side (RFC 6238 §5.2 allows a delay window for clocks and typing),
 * and a step is never accepted twice for an operator (§5.2: the verifier MUST NOT accept the
 * second attempt of the same OTP), nor one older than the last accepted: a code seen over a
 * shoulder or in a log opens nothing.
 */

const ISSUER = 'Portcullis';
const PERIOD_SECONDS = 30;
const WINDOW_STEPS = 1;

const totpFor = (secretBase32: string, account = '') =>
  new TOTP({ issuer: ISSUER, label: account, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });

/** A fresh secret (160 random bits, as RFC 4226 §4 recommends), base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` URI an authenticator app scans (as a QR code) or is given by hand. */
export function totpUri(secretBase32: string, account: string): string {
  return totpFor(secretBase32, account).toString();
}

/** The time step an instant falls in. */
export const totpStepAt = (now: Date): number => Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);

/** A code's verdict: the time step it is right for, or why it is refused. */
export type TotpVerdict = { step: number } | { refused: 'wrong' | 'replayed' };

/**
 * Checks `code` at `now` (within one step either side): the step it is right for; `wrong` when it
 * is malformed or right for no step near now; `replayed` when its step is at or before `lastStep`
 * (already used, or older than one used).
 */
export function checkTotpCode(secretBase32: string, code: string, now: Date, lastStep: number | null): TotpVerdict {
  if (!/^\d{6}$/.test(code)) return { refused: 'wrong' };
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: now.getTime(), window: WINDOW_STEPS });
  if (delta === null) return { refused: 'wrong' };
  const step = totpStepAt(now) + delta;
  return lastStep !== null && step <= lastStep ? { refused: 'replayed' } : { step };
}
