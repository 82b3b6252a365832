import type { Context } from 'koa';
import type Provider from 'oidc-provider';

import type { ConsentJourney } from '../../consent/journey/consent-journey.ts';
import { describeApp } from '../../consent/journey/describe-app.ts';
import { renderView } from '../../shared/render-view.ts';
import type { Authenticator } from './authenticator.ts';
import { describeRequest } from './consent.service.ts';
import { csrfTokenFor } from './csrf-token.ts';

/** Who is asking, in the words of its registration and software statement, as the views name it. */
export async function describeClient(provider: Provider, clientId: string) {
  const app = await describeApp(provider, clientId);
  return { clientName: app.name, orgName: app.organisation, logoUri: app.logoUrl };
}

/** What the consent page is made from. */
export interface ConsentPageDependencies {
  provider: Provider;
  journey: ConsentJourney;
  authenticator: Authenticator;
  csrfSecret: Buffer;
}

/** Renders the consent page for the interaction's pending consent (or its scopes alone), with an optional error. */
export async function renderConsentPage(ctx: Context, deps: ConsentPageDependencies, error?: string): Promise<void> {
  const { provider, journey, authenticator, csrfSecret } = deps;
  const interaction = ctx.state.interaction!;
  const pending = ctx.state.pendingConsent;
  const customerId = interaction.session!.accountId;
  ctx.type = 'html';
  ctx.body = await renderView('auth/consent', {
    uid: interaction.uid,
    csrf: csrfTokenFor(csrfSecret, interaction.uid),
    ...(await describeClient(provider, interaction.params['client_id'] as string)),
    customerName: (await authenticator.findCustomer(customerId))?.displayName,
    consent: pending ? await journey.page(pending, customerId) : undefined,
    items: pending ? [] : describeRequest(interaction),
    error,
  });
}
