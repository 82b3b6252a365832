import { randomUUID } from 'node:crypto';

import { calculateJwkThumbprint, exportJWK } from 'jose';
import * as oc from 'openid-client';

import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { accountAccessBody } from '../consent/consent-bodies.ts';
import { CustomerBrowser } from './customer-browser.ts';
import { consentAuthorization } from './ob-authorization.ts';
import { ALICE } from './ob-partner.ts';
import { discover, registerKeyClient } from './partner-client.ts';
import type { PartnerTarget } from './portcullis.ts';
import { accessTokenHash, dpopProof, type DpopKey } from './raw-oauth.ts';
import { tlsFetch } from './tls-fetch.ts';

const AIS_CONSENTS = CONSENT_KINDS['account-access'].path;

/**
 * A partner whose tokens are DPoP-bound (RFC 9449), with no transport certificate: a
 * `private_key_jwt` client and its DPoP key, driven by openid-client. It has Alice authorise
 * account access consents, withdraws them, and signs proofs by hand for calls a test makes wrong.
 */
export async function dpopPartner(portcullis: PartnerTarget) {
  const { clientId, keys } = await registerKeyClient(portcullis, { scope: 'openid accounts', software_roles: ['AISP'], org_id: 'org-dpop', software_id: `sw-${randomUUID()}` }, 'PS256');
  const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }));
  const pair = await oc.randomDPoPKeyPair('ES256');
  const DPoP = oc.getDPoPHandle(config, pair);
  const publicJwk = await exportJWK(pair.publicKey);
  const key: DpopKey = { privateKey: pair.privateKey, publicJwk, thumbprint: await calculateJwkThumbprint(publicJwk) };
  const consentApi = async (method: string, path: string, body?: unknown) => oc.fetchProtectedResource(
    config, (await oc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP })).access_token, new URL(`${portcullis.urls.partner}${path}`), method,
    body === undefined ? undefined : JSON.stringify(body), new Headers(body === undefined ? {} : { 'content-type': 'application/json', 'x-idempotency-key': randomUUID() }), { DPoP },
  );

  return {
    config,
    /** openid-client's DPoP handle, for calls made through it. */
    DPoP,
    key,
    /** An account access consent Alice authorised (approving what the page offers), and the tokens its code was exchanged for. */
    async authorisedAccountAccess(): Promise<{ consentId: string; tokens: oc.TokenEndpointResponse }> {
      const created = await consentApi('POST', AIS_CONSENTS, accountAccessBody());
      const consentId = ((await created.json()) as { Data: { ConsentId: string } }).Data.ConsentId;
      const authorization = await consentAuthorization({ config, keys }, consentId, 'accounts', { DPoP });
      const callback = await new CustomerBrowser(tlsFetch(portcullis.caPem), [portcullis.urls.browser]).authorize(authorization.url, ALICE);
      return { consentId, tokens: await authorization.redeem(callback) };
    },
    /** Withdraws a consent (DELETE on the consent API); resolves with the status. */
    async withdraw(consentId: string): Promise<number> {
      return (await consentApi('DELETE', `${AIS_CONSENTS}/${consentId}`)).status;
    },
    /** A proof by this partner's key for `method` `url` with `accessToken` (`ath`); `claims` change what it says. */
    proof(method: string, url: string, accessToken: string, claims: Record<string, unknown> = {}): Promise<string> {
      return dpopProof(key, method, url, { ath: accessTokenHash(accessToken), ...claims });
    },
  };
}

export type DpopPartner = Awaited<ReturnType<typeof dpopPartner>>;
