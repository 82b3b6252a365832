import * as oc from 'openid-client';

import { signResponseBody } from '../../src/openbanking/jws-signature/sign-response-body.ts';
import { callConsentApi } from './consent-api.ts';
import { asConsentResponse, type ConsentResponse } from './consent-response.ts';
import type { DemoConsent } from './demo-consents.ts';
import type { PartnerSession } from './partner-session.ts';

/**
 * Creates a consent the way a TPP does before it sends the customer to the bank: a
 * client-credentials token for the consent's scope (no customer yet), then a POST of the consent.
 * A payment consent is signed (OB message signing): a detached PS256 JWS over the exact body
 * bytes, by the software key the bank holds from registration, naming the partner as
 * `<org_id>/<software_id>` under the trust anchor. The JWS has the same shape whichever side
 * signs, so the bank's own signing function makes the partner's.
 */
export async function createConsent(session: PartnerSession, consent: DemoConsent): Promise<ConsentResponse> {
  const { partner, config } = session;
  const { access_token: accessToken } = await oc.clientCredentialsGrant(session.oauth, { scope: consent.kind.scope });
  const body = JSON.stringify(consent.body());
  const signature = consent.kind.signed
    ? await signResponseBody(body, {
      key: partner.privateKey,
      kid: String(partner.signingKey.kid),
      issuer: `${partner.orgId}/${partner.softwareId}`,
      trustAnchor: config.openBanking.trustAnchor,
    })
    : undefined;
  const created = await callConsentApi(session.fetch, config.mtlsBaseUrl, {
    method: 'POST',
    path: consent.kind.path,
    accessToken,
    body,
    signature,
  });
  return asConsentResponse(created);
}
