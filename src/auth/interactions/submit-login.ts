import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';

import { renderView } from '../../shared/render-view.ts';
import type { Authenticator } from './authenticator.ts';
import { csrfTokenFor } from './csrf-token.ts';

/** Checks the customer's credentials; a miss re-renders the form with one message for every cause. */
export function submitLogin(provider: Provider, authenticator: Authenticator, csrfSecret: Buffer): Middleware {
  return async function submitLogin(ctx) {
    const interaction = ctx.state.interaction!;
    if (interaction.prompt.name !== 'login') throw new errors.InvalidRequest('you are already signed in');
    const { username = '', password = '' } = ctx.state.form!;
    const customer = username && password ? await authenticator.authenticate(username, password) : undefined;
    if (!customer) {
      const client = await provider.Client.find(interaction.params['client_id'] as string);
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = await renderView('auth/login', {
        uid: interaction.uid,
        csrf: csrfTokenFor(csrfSecret, interaction.uid),
        clientName: client?.clientName ?? 'An app',
        orgName: client?.['org_name'],
        error: 'The username or password is not right. Check them and try again.',
        username,
      });
      return;
    }
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: customer.id } }, { mergeWithLastSubmission: false });
    ctx.respond = false;
  };
}
