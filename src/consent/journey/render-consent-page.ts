import type { Context } from 'koa';
import type Provider from 'oidc-provider';

import type { ConsentJourney } from './consent-journey.ts';
import { describeClient } from '../../auth/clients/describe-app.ts';
import type { Clock } from '../../shared/clock.ts';
import { renderView } from '../../shared/render-view.ts';
import type { Authenticator } from '../../auth/sign-in/authenticator.ts';
import { describeRequest } from './grant-consent.service.ts';
import { csrfTokenFor } from '../../shared/csrf-token.ts';

/** What the consent page is made from. */
export interface ConsentPageDependencies {
  provider: Provider;
  journey: ConsentJourney;
  authenticator: Authenticator;
  csrfSecret: Buffer;
  /** When a consent-bound grant is saved: it must end no later than its consent. */
  clock: Clock;
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
