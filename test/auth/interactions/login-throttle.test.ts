import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { createLoginThrottle, type LoginThrottle, type LoginThrottlePolicy, type ThrottledCheck } from '../../../src/auth/sign-in/login-throttle.ts';
import type { Knex } from '../../../src/db/knex.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';

// Small limits, so that each test needs a handful of attempts; the production numbers are in defaults.ts.
const POLICY: LoginThrottlePolicy = {
  username: { maxFailures: 3, windowSeconds: 600, blockSeconds: 900 },
  address: { maxFailures: 5, windowSeconds: 3600, blockSeconds: 1800 },
};

// PostgreSQL is shared between test files (and kept between runs): every test counts against
// usernames and addresses of its own.
const uniqueUsername = () => `user-${randomBytes(6).toString('hex')}`;
const uniqueAddress = () => `2001:db8:${randomBytes(2).readUInt16BE()}:${randomBytes(2).readUInt16BE()}::1`;
const uniqueIpv4 = () => `10.${[...randomBytes(3)].join(".")}`;

/** Starts a check; fails the test unless the throttle lets it through. */
async function admitted(throttle: LoginThrottle, username: string, ip: string, what = 'the attempt'): Promise<ThrottledCheck> {
  const verdict = await throttle.attempt(username, ip);
  assert.ok(verdict.allowed, `${what} is allowed`);
  return verdict.check;
}

/** `times` wrong answers in a row, each let through and then reported wrong. */
async function fail(throttle: LoginThrottle, username: string, ip: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) await (await admitted(throttle, username, ip, `attempt ${i + 1}`)).failed();
}

/** A right answer that completes the sign-in. */
async function signIn(throttle: LoginThrottle, username: string, ip: string): Promise<void> {
  await (await admitted(throttle, username, ip)).signedIn();
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`login throttle (${storeKind})`, () => {
  let db: Knex;
  let throttle: LoginThrottle;
  before(async () => {
    db = await openTestStore();
    throttle = createLoginThrottle(db, POLICY);
  });
  after(() => db.destroy());

  it('allows maxFailures wrong passwords for a username, then refuses it for blockSeconds', async () => {
    const [username, ip] = [uniqueUsername(), uniqueAddress()];
    await fail(throttle, username, ip, 3);
    assert.deepEqual(await throttle.attempt(username, ip), { allowed: false, retryAfterSeconds: 900 });
    const again = await throttle.attempt(username, ip);
    assert.equal(again.allowed, false, 'still refused');
    assert.ok(!again.allowed && again.retryAfterSeconds <= 900 && again.retryAfterSeconds > 890, 'refusals do not extend the block');
  });

  it('refuses the username from any address, and the address still serves other usernames', async () => {
    const [username, ip] = [uniqueUsername(), uniqueAddress()];
    await fail(throttle, username, ip, 3);
    assert.equal((await throttle.attempt(username, uniqueAddress())).allowed, false, 'a guesser cannot move to another address');
    await admitted(throttle, uniqueUsername(), ip, 'another username from the same address');
  });

  it('counts a username trimmed and lower-cased', async () => {
    const username = uniqueUsername();
    const ip = uniqueAddress();
    await fail(throttle, username, ip, 1);
    await fail(throttle, ` ${username.toUpperCase()} `, ip, 1);
    await fail(throttle, `${username}\t`, ip, 1);
    assert.equal((await throttle.attempt(username, ip)).allowed, false);
  });

  it('starts a username afresh after a completed sign-in', async () => {
    const [username, ip] = [uniqueUsername(), uniqueAddress()];
    await fail(throttle, username, ip, 2);
    await signIn(throttle, username, ip);
    await fail(throttle, username, ip, 3);
    assert.equal((await throttle.attempt(username, ip)).allowed, false);
  });

  it('keeps the failures of a username whose right answer leads to a second step', async () => {
    const [username, ip] = [uniqueUsername(), uniqueAddress()];
    await fail(throttle, username, ip, 2);
    await (await admitted(throttle, username, ip, 'the right password')).passed();
    await fail(throttle, username, ip, 1);
    assert.equal((await throttle.attempt(username, ip)).allowed, false, 'typing the password again does not wipe out wrong codes');
  });

  it('refuses an address after maxFailures across many usernames (credential stuffing)', async () => {
    const ip = uniqueIpv4();
    for (let i = 0; i < 5; i += 1) await fail(throttle, uniqueUsername(), ip, 1);
    assert.deepEqual(await throttle.attempt(uniqueUsername(), ip), { allowed: false, retryAfterSeconds: 1800 });
    await admitted(throttle, uniqueUsername(), uniqueIpv4(), 'another address');
  });

  it('counts only wrong passwords against an address: right ones and refused usernames give the attempt back', async () => {
    const ip = uniqueIpv4();
    const blocked = uniqueUsername();
    await fail(throttle, blocked, ip, 3);
    for (let i = 0; i < 4; i += 1) assert.equal((await throttle.attempt(blocked, ip)).allowed, false, 'refused by username');
    for (let i = 0; i < 4; i += 1) await signIn(throttle, uniqueUsername(), ip);
    // 3 wrong passwords so far: two more are allowed, then the address is refused.
    await fail(throttle, uniqueUsername(), ip, 2);
    assert.equal((await throttle.attempt(uniqueUsername(), ip)).allowed, false);
  });

  it('counts an IPv6 /64 as one address, and an IPv4-mapped address as its IPv4 one', async () => {
    const [site, subnet] = [randomBytes(2).readUInt16BE(), randomBytes(2).readUInt16BE() & 0xfffe];
    const prefix = `2001:db8:${site.toString(16)}:${subnet.toString(16)}`;
    for (let i = 1; i <= 5; i += 1) await fail(throttle, uniqueUsername(), `${prefix}:${i}::${i}`, 1);
    assert.equal((await throttle.attempt(uniqueUsername(), `${prefix.toUpperCase()}:0:0:0:ffff`)).allowed, false, 'same /64, written out in full');
    await admitted(throttle, uniqueUsername(), `2001:db8:${site.toString(16)}:${(subnet + 1).toString(16)}::1`, 'the next /64');

    const ipv4 = uniqueIpv4();
    for (let i = 0; i < 5; i += 1) await fail(throttle, uniqueUsername(), i % 2 ? ipv4 : `::ffff:${ipv4}`, 1);
    assert.equal((await throttle.attempt(uniqueUsername(), ipv4)).allowed, false);
  });

  it('lets no more than maxFailures of a burst of parallel wrong guesses be checked, then blocks', async () => {
    const [username, ip] = [uniqueUsername(), uniqueAddress()];
    let checking = 0;
    let mostAtOnce = 0;
    // Each guess let through is checked (slowly, as Argon2 is) until three are being checked at
    // once, then turns out wrong. Waiting for that rather than for a fixed time keeps the overlap
    // whatever the machine's load; a throttle that admitted them one at a time ends the wait
    // after 5 s and fails the count below.
    let threeChecking!: () => void;
    const threeAtOnce = new Promise<void>((resolve) => (threeChecking = resolve));
    const giveUp = setTimeout(() => threeChecking(), 5_000);
    const guess = async () => {
      const verdict = await throttle.attempt(username, ip);
      if (!verdict.allowed) return verdict;
      checking += 1;
      mostAtOnce = Math.max(mostAtOnce, checking);
      if (checking === 3) threeChecking();
      await threeAtOnce;
      checking -= 1;
      await verdict.check.failed();
      return { allowed: true };
    };
    const verdicts = await Promise.all(Array.from({ length: 12 }, guess));
    clearTimeout(giveUp);
    assert.equal(verdicts.filter((verdict) => verdict.allowed).length, 3, 'three guesses checked in all');
    assert.equal(mostAtOnce, 3);
    const refused = verdicts.flatMap((verdict) => ('retryAfterSeconds' in verdict ? [verdict] : []));
    assert.equal(refused.length, 9, 'the rest waited for them, then met the block');
    // rate-limiter-flexible blocks a key on the one consume that crosses the limit; a refusal that
    // races it (its consume also over the limit, the block not yet stored) is told the window's
    // remaining 600 s rather than the block's 900. Either way it is refused, and never for longer
    // than the block.
    for (const verdict of refused) assert.ok(!verdict.allowed && verdict.retryAfterSeconds >= 590 && verdict.retryAfterSeconds <= 900, JSON.stringify(verdict));
    assert.ok(refused.some((verdict) => verdict.retryAfterSeconds === 900), 'the block is set');
  });

  it('lets ten right answers sent at once all through, and blocks nothing', async () => {
    const [username, ip] = [uniqueUsername(), uniqueAddress()];
    const verdicts = await Promise.all(Array.from({ length: 10 }, async () => {
      const verdict = await throttle.attempt(username, ip);
      if (verdict.allowed) {
        await pause(100);
        await verdict.check.signedIn();
      }
      return verdict.allowed;
    }));
    assert.deepEqual(verdicts, Array(10).fill(true));
    await fail(throttle, username, ip, 3);
    assert.equal((await throttle.attempt(username, ip)).allowed, false, 'the full budget of wrong answers is still there, no more');
  });

  it('refuses without blocking when checks in flight fill the budget for too long', async () => {
    const [username, ip] = [uniqueUsername(), uniqueAddress()];
    const stuck = await Promise.all([1, 2, 3].map(() => admitted(throttle, username, ip)));
    const started = performance.now();
    assert.deepEqual(await throttle.attempt(username, ip), { allowed: false, retryAfterSeconds: 1 }, 'crowded out, for a second');
    assert.ok(performance.now() - started >= 3000, 'after waiting for them');
    await Promise.all(stuck.map((check) => check.passed()));
    await fail(throttle, username, ip, 3);
  });

  it('gives back the places of checks that never report (a crashed process) once they expire', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const [username, ip] = [uniqueUsername(), uniqueAddress()];
    await Promise.all([1, 2, 3].map(() => admitted(throttle, username, ip)));
    t.mock.timers.tick(31 * 1000);
    await fail(throttle, username, ip, 3);
    assert.equal((await throttle.attempt(username, ip)).allowed, false);
  });

  it('lifts a block after blockSeconds, and forgets failures after windowSeconds', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const [blocked, failing, ip] = [uniqueUsername(), uniqueUsername(), uniqueAddress()];
    await fail(throttle, blocked, ip, 3);
    assert.equal((await throttle.attempt(blocked, ip)).allowed, false);
    await fail(throttle, failing, uniqueAddress(), 2);

    t.mock.timers.tick(600 * 1000);
    await fail(throttle, failing, uniqueAddress(), 3);
    assert.equal((await throttle.attempt(blocked, ip)).allowed, false, 'the window is over, the block is not');

    t.mock.timers.tick(300 * 1000);
    await admitted(throttle, blocked, ip, 'once the block is over, the username');
  });

  it('refuses limits that are not positive integers, naming the option', () => {
    assert.throws(() => createLoginThrottle(db, { ...POLICY, address: { ...POLICY.address, blockSeconds: 0 } }), new RangeError('loginThrottle.address.blockSeconds must be a positive integer'));
    assert.throws(() => createLoginThrottle(db, { ...POLICY, username: { ...POLICY.username, maxFailures: 2.5 } }), new RangeError('loginThrottle.username.maxFailures must be a positive integer'));
  });
});
