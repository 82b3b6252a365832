/*
 * What an authorization request says about the consent it is for, read from its parameters (as
 * oidc-provider hands them to the interaction, from the pushed, signed request object): UK style,
 * the `openbanking_intent_id` claim naming a consent the partner created beforehand; FAPI 2.0
 * style, RAR `authorization_details` describing the consent to create.
 */

/** The OB-relevant parts of an authorization request. */
export interface AuthorizationConsentRequest {
  clientId: string;
  scopes: ReadonlySet<string>;
  /** `claims.id_token.openbanking_intent_id` (or the userinfo member's), if requested. */
  intent?: { value: unknown; essential: boolean };
  /** RAR details, as requested. */
  authorizationDetails: Array<Record<string, unknown>>;
}

function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function intentClaim(claims: unknown): AuthorizationConsentRequest['intent'] {
  if (!claims || typeof claims !== 'object') return undefined;
  for (const member of ['id_token', 'userinfo'] as const) {
    const requested = (claims as Record<string, unknown>)[member];
    if (!requested || typeof requested !== 'object') continue;
    const claim = (requested as Record<string, unknown>)['openbanking_intent_id'];
    if (claim && typeof claim === 'object') {
      const { value, essential } = claim as { value?: unknown; essential?: unknown };
      return { value, essential: essential === true };
    }
  }
  return undefined;
}

/** Reads the consent-related parameters of an interaction's authorization request. */
export function readAuthorizationConsentRequest(params: Record<string, unknown>): AuthorizationConsentRequest {
  const details = parsed(params['authorization_details']);
  const request: AuthorizationConsentRequest = {
    clientId: String(params['client_id']),
    scopes: new Set(typeof params['scope'] === 'string' ? params['scope'].split(' ') : []),
    authorizationDetails: Array.isArray(details) ? details.filter((detail) => detail && typeof detail === 'object') : [],
  };
  const intent = intentClaim(parsed(params['claims']));
  if (intent) request.intent = intent;
  return request;
}
