import { hash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Knex } from 'knex';

import { failureBudget, type FailureBudget, type Place, type ThrottleLimit } from './failure-budget.ts';

export interface LoginThrottlePolicy {
  username: ThrottleLimit;
  address: ThrottleLimit;
}

/** One credential check the throttle let through, holding its places until it says how it went. */
export interface ThrottledCheck {
  /** Wrong: a failure for the username and for the address. */
  failed(): Promise<void>;
  /**
   * Right, but the sign-in goes on (a second factor follows): the places are given back and the
   * username's failures stand, so that someone who has the password cannot wipe out the wrong
   * codes they sent by typing it again.
   */
  passed(): Promise<void>;
  /** Right, and the sign-in is complete: the places are given back and the username starts afresh. */
  signedIn(): Promise<void>;
}

export type ThrottleVerdict = { allowed: true; check: ThrottledCheck } | { allowed: false; retryAfterSeconds: number };

/**
 * Sits in front of whichever `Authenticator` the bank plugs in, for every answer a sign-in checks
 * (a password, a one-time code). Only wrong answers count against the limits. A burst of parallel
 * attempts cannot all slip in under a limit before the first failure is written: each check holds
 * a place while it runs, and places plus failures never exceed the limit.
 */
export interface LoginThrottle {
  /**
   * Lets a check for the username from the client address start, or says how long to wait. When
   * only checks in flight fill a limit, it waits for them (a few seconds at most) rather than
   * refuse: right answers sent at the same moment must all get through.
   */
  attempt(username: string, ip: string): Promise<ThrottleVerdict>;
}

// How long an attempt waits, at most, for checks in flight to settle when they alone fill a
// limit: several rounds of Argon2 checks, even on a loaded machine. One still crowded out then is
// refused for a second, with no block and nothing counted.
const MAX_WAIT_MS = 3_000;
const CROWDED_OUT_RETRY_MS = 1_000;
// Between two tries, 50 to 150 ms at random, so that waiting attempts do not keep colliding.
const pause = () => sleep(50 + Math.random() * 100);

// What the customer typed as a username is hashed before it is stored: people type their password
// there by mistake, and the key stays short whatever was sent.
function usernameKey(username: string): string {
  return hash('sha256', username.trim().toLowerCase(), 'base64url');
}

// An IPv6 subscriber is normally given a whole /64 (RFC 6177), so counting single IPv6 addresses
// would let one attacker rotate through 2^64 of them; IPv4-mapped addresses count as IPv4.
export function addressKey(ip: string): string {
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

function refused(msBeforeNext: number): ThrottleVerdict {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
}

type BothAdmitted = { outcome: 'admitted'; user: Place; address: Place };

// The username first: when it is blocked, the address is not touched at all.
async function admitBoth(byUsername: FailureBudget, byAddress: FailureBudget, user: string, address: string) {
  const forUser = await byUsername.admit(user);
  if (forUser.outcome !== 'admitted') return forUser;
  const forAddress = await byAddress.admit(address);
  if (forAddress.outcome === 'admitted') return { outcome: 'admitted', user: forUser.place, address: forAddress.place } satisfies BothAdmitted;
  await forUser.place.release();
  return forAddress;
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
 * if (await authenticator.authenticate(username, password)) await verdict.check.signedIn();
 * else await verdict.check.failed();
 * ```
 */
export function createLoginThrottle(db: Knex, policy: LoginThrottlePolicy): LoginThrottle {
  const byUsername = failureBudget(db, 'username', policy.username);
  const byAddress = failureBudget(db, 'address', policy.address);
  return {
    async attempt(username, ip) {
      const [user, address] = [usernameKey(username), addressKey(ip)];
      // A monotonic clock: the wait must not depend on the wall clock (which tests freeze).
      const giveUpAt = performance.now() + MAX_WAIT_MS;
      for (;;) {
        const admission = await admitBoth(byUsername, byAddress, user, address);
        if (admission.outcome === 'blocked') return refused(admission.msBeforeNext);
        if (admission.outcome === 'admitted') {
          const places = [admission.user, admission.address];
          const release = async () => void (await Promise.all(places.map((place) => place.release())));
          return {
            allowed: true,
            check: {
              failed: async () => void (await Promise.all(places.map((place) => place.failed()))),
              passed: release,
              async signedIn() {
                await byUsername.forget(user);
                await release();
              },
            },
          };
        }
        if (performance.now() >= giveUpAt) return refused(CROWDED_OUT_RETRY_MS);
        await pause();
      }
    },
  };
}
