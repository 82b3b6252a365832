import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';

import type { Knex } from 'knex';
import { RateLimiterRes, type RateLimiterPostgres } from 'rate-limiter-flexible';

import { loginAttemptCounter } from './login-attempt.store.ts';

/** How many wrong passwords one username or address may send, and for how long it is then refused. */
export interface ThrottleLimit {
  /** Wrong passwords allowed within one window. */
  maxFailures: number;
  /** The window, seconds, counted from the first wrong password in it. */
  windowSeconds: number;
  /** How long the attempt after the last allowed failure blocks the key, seconds. */
  blockSeconds: number;
}

export interface LoginThrottlePolicy {
  username: ThrottleLimit;
  address: ThrottleLimit;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Sits in front of whichever `Authenticator` the bank plugs in. An attempt is counted before the
 * password is checked, in one atomic statement per key, so that a burst of parallel requests
 * cannot all slip in under the limit before the first failure is written; a success takes it back.
 */
export interface LoginThrottle {
  /** Counts an attempt for the username and the client address; refused when either is over its limit. */
  attempt(username: string, ip: string): Promise<ThrottleVerdict>;
  /** The password was right: the username starts afresh, and the address gets its attempt back. */
  succeeded(username: string, ip: string): Promise<void>;
}

// What the customer typed as a username is hashed before it is stored: people type their password
// there by mistake, and the key stays short whatever was sent.
function usernameKey(username: string): string {
  return createHash('sha256').update(username.trim().toLowerCase()).digest('base64url');
}

// An IPv6 subscriber is normally given a whole /64 (RFC 6177), so counting single IPv6 addresses
// would let one attacker rotate through 2^64 of them; IPv4-mapped addresses count as IPv4.
function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail] = ip.split('%')[0]!.split('::');
  // A trailing dotted quad is two groups, both outside the /64.
  const groups = (part: string) => (part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${all.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}

function counterFor(db: Knex, name: keyof LoginThrottlePolicy, limit: ThrottleLimit): RateLimiterPostgres {
  for (const [option, value] of Object.entries(limit)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`loginThrottle.${name}.${option} must be a positive integer`);
  }
  return loginAttemptCounter(db, name, { points: limit.maxFailures, duration: limit.windowSeconds, blockDuration: limit.blockSeconds });
}

/** Counts one attempt; resolves to how long to wait, in ms, when the key is over its limit. */
async function spend(counter: RateLimiterPostgres, key: string): Promise<number | undefined> {
  try {
    await counter.consume(key);
    return undefined;
  } catch (outcome) {
    // The library rejects with its result when over the limit, and with an Error when the store fails.
    if (outcome instanceof RateLimiterRes) return outcome.msBeforeNext;
    throw outcome;
  }
}

function refused(msBeforeNext: number): ThrottleVerdict {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
}

/**
 * The login throttle over the `login_attempts` table, shared by every instance. Throws a
 * `RangeError` naming the option when a limit is not a positive integer.
 *
 * @example
 * ```ts
 * const throttle = createLoginThrottle(db, defaults.loginThrottle);
 * const verdict = await throttle.attempt(username, ctx.ip);
 * if (!verdict.allowed) return refuse(verdict.retryAfterSeconds); // the password is never checked
 * if (await authenticator.authenticate(username, password)) await throttle.succeeded(username, ctx.ip);
 * ```
 */
export function createLoginThrottle(db: Knex, policy: LoginThrottlePolicy): LoginThrottle {
  const byUsername = counterFor(db, 'username', policy.username);
  const byAddress = counterFor(db, 'address', policy.address);
  return {
    async attempt(username, ip) {
      const address = addressKey(ip);
      const addressWait = await spend(byAddress, address);
      if (addressWait !== undefined) return refused(addressWait);
      const usernameWait = await spend(byUsername, usernameKey(username));
      if (usernameWait === undefined) return { allowed: true };
      // No password was tried, and only wrong passwords count against an address.
      await byAddress.reward(address);
      return refused(usernameWait);
    },
    async succeeded(username, ip) {
      await byUsername.delete(usernameKey(username));
      await byAddress.reward(addressKey(ip));
    },
  };
}
