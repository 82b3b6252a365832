import * as oc from 'openid-client';

import { REDIRECT_URI, type PartnerKeys } from './partner-client.ts';

export interface ConsentAuthorization {
  /** Where the partner sends the customer. */
  url: URL;
  /** Redeems the code the customer's approval brings back, as the partner does. */
  redeem(callback: URL): Promise<oc.TokenEndpointResponse & oc.TokenEndpointResponseHelpers>;
}

/**
 * The UK way to ask a customer for a consent the partner created: a signed request object naming
 * it (`openbanking_intent_id`, essential), pushed (PAR) with PKCE; the tokens come DPoP-bound when
 * `DPoP` is given, else bound to the partner's certificate.
 */
export async function consentAuthorization(partner: { config: oc.Configuration; keys: PartnerKeys }, consentId: string, scope: string, options: { DPoP?: oc.DPoPHandle } = {}): Promise<ConsentAuthorization> {
  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const signed = await oc.buildAuthorizationUrlWithJAR(partner.config, {
    redirect_uri: REDIRECT_URI, scope: `openid ${scope}`, state,
    claims: JSON.stringify({ id_token: { openbanking_intent_id: { value: consentId, essential: true } } }),
    code_challenge: await oc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }, { key: partner.keys.privateKey, kid: partner.keys.kid });
  const dpop = options.DPoP ? { DPoP: options.DPoP } : {};
  return {
    url: await oc.buildAuthorizationUrlWithPAR(partner.config, signed.searchParams, dpop),
    redeem: (callback) => oc.authorizationCodeGrant(partner.config, callback, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true }, undefined, dpop),
  };
}
