import type { Context } from 'koa';
import type Provider from 'oidc-provider';

import { renderView } from '../../shared/render-view.ts';
import { csrfTokenFor } from '../../shared/csrf-token.ts';
import { describeClient } from '../clients/describe-app.ts';

/** What the password page shows besides the form: the username to keep, and why the last try failed. */
export interface LoginPageState {
  username: string;
  error?: string;
  /** The credentials were wrong (not merely throttled): both fields are marked invalid. */
  invalid?: boolean;
}

/** Renders the password page of the interaction's sign-in. */
export async function renderLoginPage(ctx: Context, provider: Provider, csrfSecret: Buffer, state: LoginPageState): Promise<void> {
  const interaction = ctx.state.interaction!;
  ctx.type = 'html';
  ctx.body = await renderView('auth/login', {
    uid: interaction.uid,
    csrf: csrfTokenFor(csrfSecret, interaction.uid),
    ...(await describeClient(provider, interaction.params['client_id'] as string)),
    error: state.error,
    invalid: state.invalid ?? false,
    username: state.username,
  });
}
