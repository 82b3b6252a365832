import type Provider from 'oidc-provider';

import { isObRarType } from '../../openbanking/ob-vocabulary.ts';

import { endGrantBy } from './grant-lifetime.ts';
import type { InteractionDetails } from '../../auth/interactions/load-interaction.ts';

interface PromptDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
  rar?: Array<Record<string, unknown>>;
}

const SCOPE_WORDS: Record<string, string> = {
  openid: 'Confirm who you are to the app',
  offline_access: 'Keep access while you are not using the app',
  accounts: 'See information about your accounts',
  payments: 'Make payments from your account',
  fundsconfirmations: 'Check whether you have enough money for a payment',
  profile: 'See your name',
};

function describeDetail(detail: Record<string, unknown>): string {
  if (detail['type'] === 'payment_initiation') {
    const amount = detail['instructedAmount'] as { amount: string; currency: string };
    return `Pay ${amount.amount} ${amount.currency} to ${String(detail['creditorName'])}`;
  }
  if (detail['type'] === 'account_information') {
    return `See account information: ${(detail['permissions'] as string[]).join(', ')}`;
  }
  return `Access of type ${String(detail['type'])}`;
}

/** What the consent page lists, in plain words: one line per scope and per authorization detail. */
export function describeRequest(interaction: InteractionDetails): string[] {
  const details = interaction.prompt.details as PromptDetails;
  const scopes = new Set([...(details.missingOIDCScope ?? []), ...Object.values(details.missingResourceScopes ?? {}).flat()]);
  return [...[...scopes].map((scope) => SCOPE_WORDS[scope] ?? scope), ...(details.rar ?? []).map(describeDetail)];
}


/**
 * Records what the customer approved as a grant: exactly what was asked and is still missing,
 * nothing more. For an Open Banking consent, the authorization details carry its id as
 * `consent_id` (so that the token response and introspection name it), and the grant ends when
 * the consent does, if sooner than the grant's own lifetime: oidc-provider refuses refresh and
 * reports every token inactive once their grant has expired. Returns the grant id that finishes
 * the consent prompt.
 */
export async function grantConsent(provider: Provider, interaction: InteractionDetails, now: Date, consent?: { id: string; expiresAt?: Date }): Promise<string> {
  const consentId = consent?.id;
  const details = interaction.prompt.details as PromptDetails;
  const grant = new provider.Grant({ accountId: interaction.session!.accountId, clientId: interaction.params['client_id'] as string });
  if (details.missingOIDCScope?.length) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
  for (const detail of details.rar ?? []) {
    grant.addRar((consentId && isObRarType(detail['type']) ? { ...detail, consent_id: consentId } : detail) as never);
  }
  if (consent?.expiresAt) endGrantBy(provider, grant, consent.expiresAt, now);
  return grant.save();
}
