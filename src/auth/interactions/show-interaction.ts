import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';

import { renderView } from '../../shared/render-view.ts';
import { describeRequest } from './consent.service.ts';
import { csrfTokenFor } from './csrf-token.ts';

/** Renders the page the interaction's prompt asks for: login first, then consent. */
export function showInteraction(provider: Provider, csrfSecret: Buffer): Middleware {
  return async function showInteraction(ctx) {
    const interaction = ctx.state.interaction!;
    const client = await provider.Client.find(interaction.params['client_id'] as string);
    const common = {
      uid: interaction.uid,
      csrf: csrfTokenFor(csrfSecret, interaction.uid),
      clientName: client?.clientName ?? client?.clientId ?? 'An app',
      orgName: client?.['org_name'] as string | undefined,
    };
    ctx.type = 'html';
    ctx.body = interaction.prompt.name === 'login'
      ? await renderView('auth/login', { ...common, error: undefined, username: '' })
      : await renderView('auth/consent', { ...common, items: describeRequest(interaction) });
  };
}
