import * as oc from 'openid-client';

import type { Config } from '../../src/config/config.ts';
import { DemoFailed } from './demo-failure.ts';
import type { DemoProfile } from './demo-profile.ts';
import { loadDemoPartner, type LoadedDemoPartner } from './demo-state.ts';
import type { PartnerFetch } from './partner-http.ts';

/**
 * Everything a command needs to act as the registered demo partner: its saved registration, its
 * certificate-presenting fetch, and an openid-client configuration from the bank's discovery
 * document that authenticates with `private_key_jwt` and sends token, PAR and introspection
 * requests to the mutual-TLS aliases (RFC 8705 §5), where the certificate binds the tokens.
 */
export interface PartnerSession {
  config: Config;
  partner: LoadedDemoPartner;
  fetch: PartnerFetch;
  oauth: oc.Configuration;
}

/** Opens a session for the partner `register` saved for this profile. */
export async function openPartnerSession(profile: DemoProfile, partnerFetch: PartnerFetch): Promise<PartnerSession> {
  const { config } = profile;
  const partner = await loadDemoPartner(profile.registrationPath);
  if (partner.issuer !== config.issuer) {
    throw new DemoFailed(`the demo partner is registered with ${partner.issuer}, not ${config.issuer}: run npm run demo -- register with this environment (and the same --config, if any)`);
  }
  const oauth = await oc.discovery(
    new URL(config.issuer),
    partner.clientId,
    { use_mtls_endpoint_aliases: true },
    oc.PrivateKeyJwt({ key: partner.privateKey, kid: partner.signingKey.kid }),
    { [oc.customFetch]: partnerFetch },
  );
  return { config, partner, fetch: partnerFetch, oauth };
}
