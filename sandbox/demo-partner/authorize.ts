import * as oc from 'openid-client';

import type { PartnerSession } from './partner-session.ts';

/** Where to send the customer, and what the partner keeps to redeem the answer. */
export interface PushedAuthorization {
  /** The bank's authorization endpoint with only `client_id` and `request_uri`. */
  url: URL;
  pkceCodeVerifier: string;
  state: string;
}

/**
 * Pushes the authorization request for a consent (RFC 9126), as FAPI 2.0 requires: the
 * parameters go in a request object signed with the software key (RFC 9101), posted to the PAR
 * endpoint over mutual TLS with `private_key_jwt`, and the customer's browser carries only the
 * `request_uri` it returns. The consent is named UK-style, by the essential
 * `openbanking_intent_id` claim, which the bank also puts in the ID token. PKCE S256 ties the code
 * to this process (RFC 7636); `state` ties the callback to this request.
 */
export async function pushAuthorization(session: PartnerSession, consentId: string, scope: string): Promise<PushedAuthorization> {
  const pkceCodeVerifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const signed = await oc.buildAuthorizationUrlWithJAR(session.oauth, {
    redirect_uri: session.partner.redirectUri,
    scope: `openid ${scope}`,
    claims: JSON.stringify({ id_token: { openbanking_intent_id: { value: consentId, essential: true } } }),
    code_challenge: await oc.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state,
  }, { key: session.partner.privateKey, kid: String(session.partner.signingKey.kid) });
  // What remains after JAR is `client_id` and `request`; PAR sends them and returns the short URL.
  const url = await oc.buildAuthorizationUrlWithPAR(session.oauth, signed.searchParams);
  return { url, pkceCodeVerifier, state };
}
