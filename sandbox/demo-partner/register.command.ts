import type { PartnerFetch } from './partner-http.ts';
import type { DemoProfile } from './demo-profile.ts';
import { displayPath, say } from './demo-output.ts';
import { saveDemoPartner } from './demo-state.ts';
import { registerDemoPartner } from './register.ts';

/** `register [--port <n>]`: registers the profile's software and saves what it must keep. */
export async function runRegister(profile: DemoProfile, partnerFetch: PartnerFetch, callbackPort: number): Promise<void> {
  const { config } = profile;
  const software = await profile.software(callbackPort);
  const partner = await registerDemoPartner(config, partnerFetch, software);
  await saveDemoPartner(profile.registrationPath, partner);
  say(`Registered "${software.clientName}" at ${config.issuer}`);
  say(`  client_id       ${partner.clientId}`);
  say(`  software        ${partner.orgId}/${partner.softwareId}, roles ${software.roles.join(' ')}`);
  say(`  authentication  private_key_jwt (PS256); tokens bound to the certificate ${displayPath(profile.transport.path)}`);
  say(`  redirect URI    ${partner.redirectUri}`);
  say(`  saved to        ${displayPath(profile.registrationPath)}`);
}
