import type { Context } from 'koa';

import { renderView } from '../../shared/render-view.ts';
import { csrfTokenFor } from '../../shared/csrf-token.ts';
import type { PendingSecondStep } from './second-step.ts';

/** Renders the one-time code page of a half-finished sign-in, with why the last code failed if it did. */
export async function renderCodePage(ctx: Context, csrfSecret: Buffer, pending: PendingSecondStep, failure?: { error: string; invalid: boolean }): Promise<void> {
  const interaction = ctx.state.interaction!;
  ctx.type = 'html';
  ctx.body = await renderView('auth/code', {
    uid: interaction.uid,
    csrf: csrfTokenFor(csrfSecret, interaction.uid),
    instructions: pending.challenge.instructions,
    shownCode: pending.challenge.shownCode,
    error: failure?.error,
    invalid: failure?.invalid ?? false,
  });
}
