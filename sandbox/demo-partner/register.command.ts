import { join } from 'node:path';

import type { Config } from '../../src/config/config.ts';
import { DEMO_IDENTITY } from './demo-identity.ts';
import { displayPath, say } from './demo-output.ts';
import { saveDemoPartner } from './demo-state.ts';
import type { PartnerFetch } from './partner-http.ts';
import { registerDemoPartner } from './register.ts';

/** `register [--port <n>]`: registers the demo partner and saves what it must keep. */
export async function runRegister(config: Config, partnerFetch: PartnerFetch, callbackPort: number): Promise<void> {
  const partner = await registerDemoPartner(config, partnerFetch, callbackPort);
  const path = await saveDemoPartner(config.dataDir, partner);
  say(`Registered "${DEMO_IDENTITY.clientName}" at ${config.issuer}`);
  say(`  client_id       ${partner.clientId}`);
  say(`  software        ${partner.orgId}/${partner.softwareId}, roles AISP PISP CBPII`);
  say(`  authentication  private_key_jwt (PS256); tokens bound to the certificate ${displayPath(join(config.certsDir, 'sample-client.pem'))}`);
  say(`  redirect URI    ${partner.redirectUri}`);
  say(`  saved to        ${displayPath(path)}`);
}
