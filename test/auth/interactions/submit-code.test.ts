/**
 * The code step's end, with an authenticator whose second factor reaches less than it claims: the
 * sandbox's always reaches what it declares, so the check after sign-in is driven here, with
 * stand-ins for the provider and the throttle, and the interaction as oidc-provider describes it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Context } from 'koa';
import type Provider from 'oidc-provider';

import type { Authenticator, SignIn } from '../../../src/auth/sign-in/authenticator.ts';
import type { LoginThrottle } from '../../../src/auth/sign-in/login-throttle.ts';
import { submitCode } from '../../../src/auth/interactions/submit-code.ts';

const SCA = 'urn:openbanking:psd2:sca';
const CA = 'urn:openbanking:psd2:ca';
const customer = { id: 'cust-0001', displayName: 'Alice Carter' };
const firstFactor: SignIn = { customer, acr: CA, amr: ['pwd'] };

/** Runs the step for an interaction demanding an essential sca, with a second factor that reaches `reached`. */
async function submitWith(reached: SignIn): Promise<{ results: unknown[]; ctx: Context }> {
  const results: unknown[] = [];
  const provider = {
    async interactionFinished(_req: unknown, _res: unknown, result: unknown) {
      results.push(result);
    },
  } as unknown as Provider;
  const authenticator: Authenticator = {
    authenticate: async () => firstFactor,
    findCustomer: async () => customer,
    secondFactor: { acr: SCA, challenge: async () => ({ instructions: 'Enter the code.' }), verify: async () => reached },
  };
  const admitted = { failed: async () => {}, passed: async () => {}, signedIn: async () => {} };
  const throttle: LoginThrottle = { attempt: async () => ({ allowed: true, check: admitted }) };
  const ctx = {
    ip: '192.0.2.1',
    req: {},
    res: {},
    state: {
      form: { code: '123456' },
      interaction: {
        uid: 'interaction-1',
        prompt: { name: 'login', reasons: ['no_session', 'essential_acr'], details: { acr: { essential: true, value: SCA } } },
        result: { pendingSecondStep: { username: 'alice', attempt: { firstFactor, interactionUid: 'interaction-1', startedAt: 0 }, challenge: { instructions: 'Enter the code.' } } },
      },
    },
  } as unknown as Context;
  await submitCode(provider, authenticator, throttle, Buffer.alloc(32))(ctx, async () => {});
  return { results, ctx };
}

describe('submitCode', () => {
  it('completes the sign-in with the acr and amr the second factor reported', async () => {
    const { results, ctx } = await submitWith({ customer, acr: SCA, amr: ['pwd', 'otp'] });
    assert.deepEqual(results, [{ login: { accountId: 'cust-0001', acr: SCA, amr: ['pwd', 'otp'] } }]);
    assert.equal(ctx.respond, false);
  });

  it('ends the authorization, rather than sign the customer in short of an essential acr (which would loop back to sign-in)', async () => {
    const { results, ctx } = await submitWith({ customer, acr: CA, amr: ['pwd'] });
    assert.deepEqual(results, [{ error: 'unmet_authentication_requirements', error_description: 'the customer could not be authenticated as the request demands (acr)' }]);
    assert.equal(ctx.respond, false);
  });
});
