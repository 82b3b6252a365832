import { setTimeout as sleep } from 'node:timers/promises';

import type { Middleware } from 'koa';

import { ObError } from '../../src/openbanking/ob-error.ts';

/*
 * Scenario switches, for partners to try their error handling against the sandbox bank: a payment
 * or funds confirmation whose reference is one of these behaves so (README, "Scenario switches").
 * The reference is the payment's RemittanceInformation.Reference (Initiation.Reference for a
 * standing order) or the funds confirmation's Reference.
 */

export type Scenario = 'insufficient-funds' | 'rejected' | 'slow' | 'server-error';

export const SCENARIO_REFERENCES: ReadonlyMap<string, Scenario> = new Map([
  // The account's funds do not cover it, whatever its balance: a payment is Rejected, a funds confirmation says FundsAvailable false.
  ['SANDBOX-NO-FUNDS', 'insufficient-funds'],
  // The bank rejects the payment (Rejected, or InitiationFailed for a scheduled payment or standing order).
  ['SANDBOX-REJECT', 'rejected'],
  // The bank core answers after a few seconds (`slowAnswerMs`), then as usual.
  ['SANDBOX-SLOW', 'slow'],
  // The bank core fails: 500 UK.OBIE.UnexpectedError, and nothing is made. A 500 and not a 503, so
  // that the gateway's circuit breaker (502-504) does not shut the bank core off for every partner.
  ['SANDBOX-ERROR', 'server-error'],
]);

/** The scenario a reference switches on, if any. */
export function scenarioOf(reference: unknown): Scenario | undefined {
  return typeof reference === 'string' ? SCENARIO_REFERENCES.get(reference) : undefined;
}

/** Plays the slow and failing scenarios before the request is handled; `referenceOf` finds the reference in the validated body. */
export function playScenario(slowAnswerMs: number, referenceOf: (body: unknown) => unknown): Middleware {
  return async function playScenario(ctx, next) {
    const scenario = scenarioOf(referenceOf(ctx.state.obRequest!.parsed));
    if (scenario === 'slow') await sleep(slowAnswerMs);
    if (scenario === 'server-error') throw new ObError(500, [{ ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'Sandbox scenario SANDBOX-ERROR' }]);
    await next();
  };
}
