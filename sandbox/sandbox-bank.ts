import { passwordAuthenticator } from '../src/auth/customers/password-authenticator.ts';
import { deriveKey } from '../src/config/derive-key.ts';
import type { BankIntegration, BankIntegrationContext } from '../src/server/bank-integration.ts';
import { sandboxAccounts } from './accounts.ts';
import { gatewayJwks } from './bank-core/gateway-jwks.ts';
import { startBankCore } from './bank-core/start-bank-core.ts';
import { migrateSandboxBank } from './bank/migrate-sandbox-bank.ts';
import { SANDBOX_CUSTOMERS, seedSandboxCustomers } from './customers.ts';
import { ONBOARDING_PREFIX } from './directory/onboarding/onboarding.routes.ts';
import { sandboxOnboarding } from './directory/onboarding/sandbox-onboarding.ts';
import { createSandboxDirectory } from './directory/sandbox-directory.ts';
import { sandboxOpenBankingApis } from './open-banking-apis.ts';
import { shownOneTimeCode } from './shown-one-time-code.ts';

/**
 * The sandbox bank, as a `BANK_INTEGRATION` module (the default outside production): its test
 * customers (seeded on first start) sign in with their passwords and a one-time code the page
 * shows, hold the sandbox's fixed accounts, and register with software statements from the
 * sandbox directory (under `CERTS_DIR/directory/`), presenting its transport certificates; partners
 * sign up to that directory themselves through its onboarding API on the browser listener. Its
 * bank core answers the Open Banking resource APIs behind the gateway, on loopback, trusting only
 * the gateway's signed identity; the gateway's catalogue gets the three APIs at each start.
 */
export interface SandboxBankOptions {
  /**
   * Start the bank core and put its APIs in the gateway's catalogue (the default). The test suite's
   * servers leave it out: on PostgreSQL they share one catalogue, where each would point the same
   * APIs at its own core; a test that needs the core asks for it.
   */
  withBankCore?: boolean;
}

export default async function createSandboxBank(context: BankIntegrationContext, options: SandboxBankOptions = {}): Promise<BankIntegration> {
  const { config, secrets, db, logger, clock } = context;
  await seedSandboxCustomers(db);
  const oneTimeCodeSecret = deriveKey(secrets, 'portcullis one-time codes');
  logger.warn('SANDBOX BANK IN USE: test customers, and one-time codes shown on the sign-in page, not sent to a phone; set BANK_INTEGRATION to the bank\'s own module before real customers sign in.');
  const directory = await createSandboxDirectory(config.certsDir);
  await migrateSandboxBank(db);
  const bankCore = options.withBankCore === false ? undefined : await startBankCore({ db, identityKeys: gatewayJwks(config), issuer: config.issuer, clock, logger });
  return {
    authenticator: { ...passwordAuthenticator(db), secondFactor: shownOneTimeCode(oneTimeCodeSecret, clock) },
    accounts: sandboxAccounts,
    directoryJwks: [directory.jwksPath],
    clientCaCertificates: [directory.transportCa.certificatePem],
    sandboxRoutes: await sandboxOnboarding(context, directory),
    ...(bankCore ? { gatewayApis: sandboxOpenBankingApis(bankCore.url), close: () => bankCore.close() } : {}),
    summary: [
      `  Sandbox directory JWKS:                  ${directory.jwksPath}`,
      `  Sandbox directory transport CA:          ${directory.transportCa.certificatePath}`,
      `  Sandbox directory onboarding API:        ${config.issuer}${ONBOARDING_PREFIX}organisations`,
      ...(bankCore ? [`  Sandbox bank core (behind the gateway):  ${bankCore.url}`] : []),
      '  Sandbox customers (username / password; then enter the code the page shows):',
      ...SANDBOX_CUSTOMERS.map((customer) => `    ${customer.username} / ${customer.password}`),
    ],
  };
}
