import { linkApplicationClient } from '../../gateway/consumers/consumer.store.ts';
import { appFor } from '../apps/portal-apps.service.ts';
import { PortalPageError } from '../portal-page-error.ts';
import type { SignedInDeveloper } from '../session/portal-sessions.ts';
import { atDirectory, onboardingOf, statementOf } from './directory-access.ts';
import { claimRegistration, recordRegistration, releaseRegistration } from './open-banking.store.ts';
import type { OpenBankingPagesDependencies } from './open-banking-pages.deps.ts';
import { registerSoftware } from './register-software.ts';
import { sealRegistrationToken } from './registration-token-seal.ts';

/*
 * "Register by DCR": the portal registers the application's software with the bank, as the
 * partner would, and links the new client to the application. An application has one client:
 * asking again is a 409 page, never a second client. A registration under way is claimed first
 * (one statement), so two clicks at once cannot both register; a failed one releases its claim.
 *
 * The link needs no cache invalidation: until the page shows the client id, nobody but the portal
 * knows it, so no gateway can have looked the client up and cached "no application".
 */

/** Longer than a registration may take (its timeout is 10 s): a claim older than this died with its process. */
const STALE_CLAIM_MS = 60_000;

const registeredAlready = (clientId: string) => `The application is registered already, as client ${clientId}. It has one client: registering again would make a second.`;
const UNDER_WAY = 'The application is being registered just now. Reload its page in a moment.';

/** Registers the application's software by DCR and links the client; resolves the client id. */
export async function registerApplication(deps: OpenBankingPagesDependencies, developer: SignedInDeveloper, applicationId: string): Promise<string> {
  const { directory, registration, sealKey } = onboardingOf(deps);
  const { application } = await appFor(deps, developer, applicationId);
  if (application.client_id) throw new PortalPageError(409, registeredAlready(application.client_id));
  const row = await statementOf(deps, applicationId);
  const now = deps.clock.now();
  if (!await claimRegistration(deps.db, applicationId, now, new Date(now.getTime() - STALE_CLAIM_MS))) throw new PortalPageError(409, UNDER_WAY);
  try {
    const [software, keys] = await Promise.all([
      atDirectory(() => directory.readSoftwareStatement(row.directory_organisation_id, row.software_id)),
      atDirectory(() => directory.softwareKeys(row.directory_organisation_id, row.software_id)),
    ]);
    const client = await registerSoftware(registration, {
      softwareId: software.softwareId,
      softwareStatement: software.softwareStatement,
      redirectUris: software.redirectUris,
      signingJwk: keys.signingJwk,
      transport: { certificatePem: software.transportCertificatePem, privateKeyPem: keys.transportKeyPem },
    });
    await deps.db.transaction(async (trx) => {
      if (!await linkApplicationClient(trx, applicationId, client.clientId)) throw new PortalPageError(409, 'Another client was linked to the application while this one was registered.');
      await recordRegistration(trx, applicationId, {
        registrationClientUri: client.registrationClientUri,
        sealedRegistrationAccessToken: sealRegistrationToken(client.registrationAccessToken, applicationId, sealKey),
        registeredAt: deps.clock.now(),
      });
    });
    return client.clientId;
  } catch (error) {
    await releaseRegistration(deps.db, applicationId);
    throw error;
  }
}
