import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';

import type { SecondFactorAttempt } from '../../src/auth/sign-in/authenticator.ts';
import { epochSeconds } from '../../src/shared/clock.ts';
import { shownOneTimeCode } from '../../sandbox/shown-one-time-code.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';

const secret = randomBytes(32);
const clock = fixedClock('2026-12-04T09:00:00Z');
const factor = shownOneTimeCode(secret, clock);
const now = () => epochSeconds(clock);

function attempt(overrides: Partial<SecondFactorAttempt> = {}): SecondFactorAttempt {
  return {
    firstFactor: { customer: { id: 'cust-0001', displayName: 'Alice Carter' }, acr: 'urn:openbanking:psd2:ca', amr: ['pwd'] },
    interactionUid: 'interaction-1',
    startedAt: now(),
    ...overrides,
  };
}

async function codeOf(of: SecondFactorAttempt): Promise<string> {
  const challenge = await factor.challenge(of);
  assert.ok(challenge.shownCode, 'the sandbox shows its code');
  return challenge.shownCode.code;
}

describe('the sandbox one-time code', () => {
  it('is six digits, shown with a note that a real bank would text it', async () => {
    const challenge = await factor.challenge(attempt());
    assert.match(challenge.shownCode!.code, /^\d{6}$/);
    assert.match(challenge.shownCode!.note, /real bank would send it to your phone/);
    assert.equal(factor.acr, 'urn:openbanking:psd2:sca');
  });

  it('raises the sign-in to strong customer authentication: acr sca, amr pwd and otp', async () => {
    const signIn = attempt();
    assert.deepEqual(await factor.verify(signIn, await codeOf(signIn)), { customer: signIn.firstFactor.customer, acr: 'urn:openbanking:psd2:sca', amr: ['pwd', 'otp'] });
  });

  it('is bound to the interaction, the customer and the sign-in, under the secret', async () => {
    const signIn = attempt();
    const code = await codeOf(signIn);
    assert.equal(await codeOf(attempt({ startedAt: signIn.startedAt })), code, 'the same attempt, the same code');
    for (const other of [
      attempt({ startedAt: signIn.startedAt, interactionUid: 'interaction-2' }),
      attempt({ startedAt: signIn.startedAt, firstFactor: { ...signIn.firstFactor, customer: { id: 'cust-0002', displayName: 'Bob Mensah' } } }),
      attempt({ startedAt: signIn.startedAt - 1 }),
    ]) {
      assert.equal(await factor.verify(other, code), undefined);
    }
    const underAnotherSecret = shownOneTimeCode(randomBytes(32), clock);
    assert.equal(await underAnotherSecret.verify(signIn, code), undefined);
  });

  it('refuses a wrong code, whatever its length', async () => {
    const signIn = attempt();
    const code = await codeOf(signIn);
    const wrong = code.replace(/^./, (digit) => String((Number(digit) + 1) % 10));
    for (const given of [wrong, code.slice(1), `${code}0`, '']) assert.equal(await factor.verify(signIn, given), undefined, given);
  });

  it('lasts five minutes from the right password', async () => {
    const signIn = attempt();
    const code = await codeOf(signIn);
    clock.advance(5 * 60);
    assert.ok(await factor.verify(signIn, code), 'still good at five minutes');
    clock.advance(1);
    assert.equal(await factor.verify(signIn, code), undefined, 'expired after');
  });
});
