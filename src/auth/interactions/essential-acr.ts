import type { InteractionDetails } from './load-interaction.ts';

// The request's `claims.id_token.acr`, as oidc-provider's login prompt passes it on.
interface RequestedAcr {
  value?: string;
  values?: string[];
}

// oidc-provider's login prompt checks (`lib/helpers/interaction_policy/prompts/login.js`): one for
// an essential `value`, one for essential `values`; each names itself among the reasons when the
// session's acr does not meet it, and puts the request in the prompt's details.
const ESSENTIAL_ACR_REASONS = ['essential_acr', 'essential_acrs'];

/**
 * Whether a sign-in with `acr` meets what the authorization demands as essential: the one `value`
 * and one of the `values` where they are given (OIDC Core §5.5.1.1). True when the request demands
 * nothing, or asks for an acr only as voluntary (`acr_values`, which any acr answers).
 */
export function meetsEssentialAcr(interaction: InteractionDetails, acr: string): boolean {
  const { name, reasons, details } = interaction.prompt;
  if (name !== 'login' || !reasons.some((reason) => ESSENTIAL_ACR_REASONS.includes(reason))) return true;
  const requested = details['acr'] as RequestedAcr;
  return (requested.value === undefined || requested.value === acr) && (requested.values === undefined || requested.values.includes(acr));
}
