import * as oc from 'openid-client';

import { asConsentResponse, type ConsentResponse } from './consent-response.ts';
import type { DemoConsent } from './demo-consents.ts';
import { callObApi } from './ob-api.ts';
import type { PartnerSession } from './partner-session.ts';
import { signRequestBody } from './sign-request.ts';

/**
 * Creates a consent the way a TPP does before it sends the customer to the bank: a
 * client-credentials token for the consent's scope (no customer yet), then a POST of the consent,
 * signed when the standard says so (payment consents).
 */
export async function createConsent(session: PartnerSession, consent: DemoConsent): Promise<ConsentResponse> {
  const { access_token: accessToken } = await oc.clientCredentialsGrant(session.oauth, { scope: consent.kind.scope });
  const body = JSON.stringify(consent.body());
  const created = await callObApi(session.fetch, session.config.mtlsBaseUrl, {
    method: 'POST',
    path: consent.kind.path,
    accessToken,
    body,
    signature: consent.kind.signed ? await signRequestBody(session, body) : undefined,
  });
  return asConsentResponse(created);
}
