import { hash } from 'node:crypto';

import type { Knex } from 'knex';
import { RateLimiterRes } from 'rate-limiter-flexible';

import { loginAttemptCounter } from '../../auth/sign-in/login-attempt.store.ts';
import { addressKey } from '../../auth/sign-in/login-throttle.ts';

/*
 * The account forms that send mail (sign-up, forgotten password) send it to whatever address is
 * typed, so they are limited together: per client network (an
 * IPv4 address, an IPv6 /64), visibly, with a wait; and per email address, silently (the answer
 * must not differ, or it would tell whether the address has an account), so that nobody can flood
 * someone's mailbox from the form. Counted in the store, like sign-in attempts, so that every
 * instance counts together.
 */

export interface AccountMailLimits {
  /** Mail-sending forms (sign-ups, password resets) a network may send in an hour. */
  perNetworkPerHour: number;
  /** Mails an address may be sent in an hour. */
  mailsPerAddressPerHour: number;
}

export interface AccountMailThrottle {
  /** Counts a form from `ip`; how long to wait when its network has sent too many. */
  admitNetwork(ip: string): Promise<{ admitted: true } | { admitted: false; retryAfterSeconds: number }>;
  /** Counts a mail to `emailKey`; false when the address has been sent enough this hour. */
  mayMail(emailKey: string): Promise<boolean>;
}

const HOUR = 3600;

// A refusal rejects with the limiter's answer; anything else (the store) is a real failure.
async function consumed(limiter: ReturnType<typeof loginAttemptCounter>, key: string): Promise<RateLimiterRes | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return refusal;
    throw refusal;
  }
}

export function createAccountMailThrottle(db: Knex, limits: AccountMailLimits): AccountMailThrottle {
  const byNetwork = loginAttemptCounter(db, 'portal-sign-up-network', { points: limits.perNetworkPerHour, duration: HOUR, blockDuration: 0 });
  const byAddress = loginAttemptCounter(db, 'portal-sign-up-mail', { points: limits.mailsPerAddressPerHour, duration: HOUR, blockDuration: 0 });
  return {
    async admitNetwork(ip) {
      const refusal = await consumed(byNetwork, addressKey(ip));
      return refusal ? { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) } : { admitted: true };
    },
    async mayMail(emailKey) {
      // Hashed: what people type in an email field is nobody's business in the store.
      return (await consumed(byAddress, hash('sha256', emailKey, 'base64url'))) === undefined;
    },
  };
}
