import type { Middleware } from 'koa';

import { deriveKey } from '../../../src/config/derive-key.ts';
import type { DirectoryOnboarding } from '../../../src/portal/openbanking/directory-onboarding.ts';
import type { BankIntegrationContext } from '../../../src/server/bank-integration.ts';
import { problemTypeBase } from '../../../src/server/error-family.ts';
import { migrateSandboxDirectory } from '../migrate-sandbox-directory.ts';
import type { SandboxDirectory } from '../sandbox-directory.ts';
import { ONBOARDING_PREFIX, onboardingApi } from './onboarding.routes.ts';
import { portalOnboarding } from './portal-onboarding.ts';

/** Enough for a team trying the sandbox from one office in an hour; few enough to stop a script. */
const SIGN_UPS_PER_HOUR = 10;

/**
 * The sandbox directory's onboarding, ready for the bank integration: its API for `sandboxRoutes`
 * and its services for the developer portal (`directoryOnboarding`), on one register: its tables
 * migrated, its keys derived from the server's secrets, its bundles pointing partners at this
 * server's issuer and mutual-TLS base URL.
 */
export async function sandboxOnboarding(context: BankIntegrationContext, directory: SandboxDirectory): Promise<{ api: { prefix: string; routes: Middleware }; portal: DirectoryOnboarding }> {
  const { config, secrets, db, logger, clock } = context;
  await migrateSandboxDirectory(db);
  const onboarding = {
    db,
    clock,
    directory,
    sealKey: deriveKey(secrets, 'portcullis sandbox directory keys'),
    issuer: config.issuer,
    mtlsBaseUrl: config.mtlsBaseUrl,
  };
  return {
    api: { prefix: ONBOARDING_PREFIX, routes: onboardingApi(onboarding, { logger, problemTypeBase: problemTypeBase(config.issuer), signUpsPerHour: SIGN_UPS_PER_HOUR }) },
    portal: portalOnboarding(onboarding),
  };
}
