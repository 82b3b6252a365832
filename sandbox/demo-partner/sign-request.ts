import { signResponseBody } from '../../src/openbanking/jws-signature/sign-response-body.ts';
import type { PartnerSession } from './partner-session.ts';

/**
 * OB message signing of a request the partner sends (payment consents and payment submissions): a
 * detached PS256 JWS over the exact body bytes, by the software key the bank holds from
 * registration, naming the partner as `<org_id>/<software_id>` under the trust anchor. The JWS has
 * the same shape whichever side signs, so the bank's own signing function makes the partner's.
 */
export function signRequestBody(session: PartnerSession, body: string): Promise<string> {
  const { partner, config } = session;
  return signResponseBody(body, {
    key: partner.privateKey,
    kid: String(partner.signingKey.kid),
    issuer: `${partner.orgId}/${partner.softwareId}`,
    trustAnchor: config.openBanking.trustAnchor,
  });
}
