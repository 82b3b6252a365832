import { createHmac, timingSafeEqual } from 'node:crypto';

import type { SecondFactor, SecondFactorAttempt } from '../src/auth/sign-in/authenticator.ts';
import { epochSeconds, type Clock } from '../src/shared/clock.ts';
import { OPEN_BANKING_ACR } from '../src/openbanking/ob-vocabulary.ts';

// A code is good for five minutes after the right password.
const CODE_LIFETIME_SECONDS = 5 * 60;

// Six digits from an HMAC over everything the code is bound to, by the dynamic truncation of
// HOTP (RFC 4226 §5.3). Nothing is stored: the same attempt always gives the same code, and
// another interaction, customer or sign-in gives another.
function codeFor(secret: Buffer, attempt: SecondFactorAttempt): string {
  const mac = createHmac('sha256', secret).update(`one-time-code:${attempt.interactionUid}:${attempt.firstFactor.customer.id}:${attempt.startedAt}`).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * The sandbox bank's second factor. A real bank would send the customer a one-time code by text
 * message or show it in its app; the sandbox's test customers have no phones, so the code page
 * shows it, saying so. The code is an HMAC of the interaction, the customer and the moment the
 * password was accepted, under `secret` (a key of its own), and lasts five minutes. It proves
 * nothing a password does not: never use it for real customers.
 */
export function shownOneTimeCode(secret: Buffer, clock: Clock): SecondFactor {
  return {
    acr: OPEN_BANKING_ACR.sca,
    async challenge(attempt) {
      return {
        instructions: 'Enter the 6-digit security code for this sign-in.',
        shownCode: {
          code: codeFor(secret, attempt),
          note: 'This is a sandbox bank, so it shows your code here. A real bank would send it to your phone by text message, and never show it on this page.',
        },
      };
    },
    async verify(attempt, code) {
      const fresh = epochSeconds(clock) - attempt.startedAt <= CODE_LIFETIME_SECONDS;
      const expected = Buffer.from(codeFor(secret, attempt));
      const given = Buffer.from(code);
      if (!fresh || given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      return { customer: attempt.firstFactor.customer, acr: OPEN_BANKING_ACR.sca, amr: [...attempt.firstFactor.amr, 'otp'] };
    },
  };
}
