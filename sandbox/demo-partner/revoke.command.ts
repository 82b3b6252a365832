import * as oc from 'openid-client';

import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { callObApi } from './ob-api.ts';
import { DemoFailed } from './demo-failure.ts';
import { say, show } from './demo-output.ts';
import type { PartnerSession } from './partner-session.ts';
import { readConsent } from './read-consent.ts';

/**
 * `revoke <ConsentId>`: the partner withdraws a consent with DELETE, as the standard allows for
 * account access and funds confirmation consents (the bank answers anything else with its error).
 * The consent's id prefix says which resource it is.
 */
export async function runRevoke(session: PartnerSession, consentId: string): Promise<void> {
  const kind = Object.values(CONSENT_KINDS).find((candidate) => consentId.startsWith(candidate.idPrefix));
  if (!kind) {
    const prefixes = Object.values(CONSENT_KINDS).map((candidate) => `${candidate.idPrefix}…`).join(', ');
    throw new DemoFailed(`${consentId} is not a consent id of this bank (they start ${prefixes})`);
  }
  const path = `${kind.path}/${encodeURIComponent(consentId)}`;
  const { access_token: accessToken } = await oc.clientCredentialsGrant(session.oauth, { scope: kind.scope });
  await callObApi(session.fetch, session.config.mtlsBaseUrl, { method: 'DELETE', path, accessToken });
  say(`Withdrawn: DELETE ${path}`);
  show(`The consent now: GET ${path}`, await readConsent(session, kind, consentId));
}
