import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { createLoginThrottle, type LoginThrottle, type LoginThrottlePolicy } from '../../../src/auth/interactions/login-throttle.ts';
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

async function fail(throttle: LoginThrottle, username: string, ip: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) assert.deepEqual(await throttle.attempt(username, ip), { allowed: true }, `attempt ${i + 1} is allowed`);
}

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
    assert.deepEqual(await throttle.attempt(uniqueUsername(), ip), { allowed: true });
  });

  it('counts a username trimmed and lower-cased', async () => {
    const username = uniqueUsername();
    const ip = uniqueAddress();
    await throttle.attempt(username, ip);
    await throttle.attempt(` ${username.toUpperCase()} `, ip);
    await throttle.attempt(`${username}\t`, ip);
    assert.equal((await throttle.attempt(username, ip)).allowed, false);
  });

  it('starts a username afresh after a right password', async () => {
    const [username, ip] = [uniqueUsername(), uniqueAddress()];
    await fail(throttle, username, ip, 2);
    assert.deepEqual(await throttle.attempt(username, ip), { allowed: true });
    await throttle.succeeded(username, ip);
    await fail(throttle, username, ip, 3);
    assert.equal((await throttle.attempt(username, ip)).allowed, false);
  });

  it('refuses an address after maxFailures across many usernames (credential stuffing)', async () => {
    const ip = uniqueIpv4();
    for (let i = 0; i < 5; i += 1) assert.deepEqual(await throttle.attempt(uniqueUsername(), ip), { allowed: true });
    assert.deepEqual(await throttle.attempt(uniqueUsername(), ip), { allowed: false, retryAfterSeconds: 1800 });
    assert.deepEqual(await throttle.attempt(uniqueUsername(), uniqueIpv4()), { allowed: true }, 'other addresses are not affected');
  });

  it('counts only wrong passwords against an address: right ones and refused usernames give the attempt back', async () => {
    const ip = uniqueIpv4();
    const blocked = uniqueUsername();
    await fail(throttle, blocked, ip, 3);
    for (let i = 0; i < 4; i += 1) assert.equal((await throttle.attempt(blocked, ip)).allowed, false, 'refused by username');
    for (let i = 0; i < 4; i += 1) {
      const customer = uniqueUsername();
      assert.deepEqual(await throttle.attempt(customer, ip), { allowed: true });
      await throttle.succeeded(customer, ip);
    }
    // 3 wrong passwords so far: two more are allowed, then the address is refused.
    await fail(throttle, uniqueUsername(), ip, 2);
    assert.equal((await throttle.attempt(uniqueUsername(), ip)).allowed, false);
  });

  it('counts an IPv6 /64 as one address, and an IPv4-mapped address as its IPv4 one', async () => {
    const [site, subnet] = [randomBytes(2).readUInt16BE(), randomBytes(2).readUInt16BE() & 0xfffe];
    const prefix = `2001:db8:${site.toString(16)}:${subnet.toString(16)}`;
    for (let i = 1; i <= 5; i += 1) assert.deepEqual(await throttle.attempt(uniqueUsername(), `${prefix}:${i}::${i}`), { allowed: true });
    assert.equal((await throttle.attempt(uniqueUsername(), `${prefix.toUpperCase()}:0:0:0:ffff`)).allowed, false, 'same /64, written out in full');
    assert.deepEqual(await throttle.attempt(uniqueUsername(), `2001:db8:${site.toString(16)}:${(subnet + 1).toString(16)}::1`), { allowed: true }, 'the next /64');

    const ipv4 = uniqueIpv4();
    for (let i = 0; i < 5; i += 1) await throttle.attempt(uniqueUsername(), i % 2 ? ipv4 : `::ffff:${ipv4}`);
    assert.equal((await throttle.attempt(uniqueUsername(), ipv4)).allowed, false);
  });

  it('lets no more than maxFailures of a burst of parallel attempts through', async () => {
    const [username, ip] = [uniqueUsername(), uniqueAddress()];
    const verdicts = await Promise.all(Array.from({ length: 12 }, () => throttle.attempt(username, ip)));
    assert.equal(verdicts.filter((verdict) => verdict.allowed).length, 3);
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
    assert.deepEqual(await throttle.attempt(blocked, ip), { allowed: true });
  });

  it('refuses limits that are not positive integers, naming the option', () => {
    assert.throws(() => createLoginThrottle(db, { ...POLICY, address: { ...POLICY.address, blockSeconds: 0 } }), new RangeError('loginThrottle.address.blockSeconds must be a positive integer'));
    assert.throws(() => createLoginThrottle(db, { ...POLICY, username: { ...POLICY.username, maxFailures: 2.5 } }), new RangeError('loginThrottle.username.maxFailures must be a positive integer'));
  });
});
