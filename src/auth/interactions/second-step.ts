import type { Context } from 'koa';
import type Provider from 'oidc-provider';

import type { CodeChallenge, SecondFactorAttempt } from '../sign-in/authenticator.ts';
import type { InteractionDetails } from './load-interaction.ts';

/** A sign-in halfway: the password was right, the one-time code is still to come. */
export interface PendingSecondStep {
  /** As typed on the password page: wrong codes count against the same throttle key as wrong passwords. */
  username: string;
  attempt: SecondFactorAttempt;
  /** What the code page says, as the second factor said it when it sent the code. */
  challenge: CodeChallenge;
}

// Kept in the interaction's own result, server side, under a name oidc-provider does not read:
// were it a `login` result, the resume endpoint (`/authorize/:uid`) would sign the customer in
// before the code was checked.
const PENDING = 'pendingSecondStep';

/** The interaction's half-finished sign-in, if its password step is done. */
export function pendingSecondStep(interaction: InteractionDetails): PendingSecondStep | undefined {
  return interaction.result?.[PENDING] as PendingSecondStep | undefined;
}

/** Records a half-finished sign-in in the browser's interaction; a later password replaces it. */
export async function startSecondStep(provider: Provider, ctx: Context, pending: PendingSecondStep): Promise<void> {
  await provider.interactionResult(ctx.req, ctx.res, { [PENDING]: pending }, { mergeWithLastSubmission: false });
}
