import * as oc from 'openid-client';

import type { ConsentKindSpec } from '../../src/consent/consent-kinds.ts';
import { callObApi } from './ob-api.ts';
import { asConsentResponse, type ConsentResponse } from './consent-response.ts';
import type { PartnerSession } from './partner-session.ts';

/** Reads a consent as the API reports it now, with a fresh client-credentials token. */
export async function readConsent(session: PartnerSession, kind: ConsentKindSpec, consentId: string): Promise<ConsentResponse> {
  const { access_token: accessToken } = await oc.clientCredentialsGrant(session.oauth, { scope: kind.scope });
  return asConsentResponse(await callObApi(session.fetch, session.config.mtlsBaseUrl, { method: 'GET', path: `${kind.path}/${encodeURIComponent(consentId)}`, accessToken }));
}
