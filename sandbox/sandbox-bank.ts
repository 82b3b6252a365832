import { passwordAuthenticator } from '../src/auth/customers/password-authenticator.ts';
import { deriveKey } from '../src/config/derive-key.ts';
import type { BankIntegration, BankIntegrationContext } from '../src/server/bank-integration.ts';
import { sandboxAccounts } from './accounts.ts';
import { SANDBOX_CUSTOMERS, seedSandboxCustomers } from './customers.ts';
import { ONBOARDING_PREFIX } from './directory/onboarding/onboarding.routes.ts';
import { sandboxOnboarding } from './directory/onboarding/sandbox-onboarding.ts';
import { createSandboxDirectory } from './directory/sandbox-directory.ts';
import { shownOneTimeCode } from './shown-one-time-code.ts';

/**
 * The sandbox bank, as a `BANK_INTEGRATION` module (the default outside production): its test
 * customers (seeded on first start) sign in with their passwords and a one-time code the page
 * shows, hold the sandbox's fixed accounts, and register with software statements from the
 * sandbox directory (under `CERTS_DIR/directory/`), presenting its transport certificates; partners
 * sign up to that directory themselves through its onboarding API on the browser listener.
 */
export default async function createSandboxBank(context: BankIntegrationContext): Promise<BankIntegration> {
  const { config, secrets, db, logger, clock } = context;
  await seedSandboxCustomers(db);
  const oneTimeCodeSecret = deriveKey(secrets, 'portcullis one-time codes');
  logger.warn('SANDBOX BANK IN USE: test customers, and one-time codes shown on the sign-in page, not sent to a phone; set BANK_INTEGRATION to the bank\'s own module before real customers sign in.');
  const directory = await createSandboxDirectory(config.certsDir);
  return {
    authenticator: { ...passwordAuthenticator(db), secondFactor: shownOneTimeCode(oneTimeCodeSecret, clock) },
    accounts: sandboxAccounts,
    directoryJwks: [directory.jwksPath],
    clientCaCertificates: [directory.transportCa.certificatePem],
    sandboxRoutes: await sandboxOnboarding(context, directory),
    summary: [
      `  Sandbox directory JWKS:                  ${directory.jwksPath}`,
      `  Sandbox directory transport CA:          ${directory.transportCa.certificatePath}`,
      `  Sandbox directory onboarding API:        ${config.issuer}${ONBOARDING_PREFIX}organisations`,
      '  Sandbox customers (username / password; then enter the code the page shows):',
      ...SANDBOX_CUSTOMERS.map((customer) => `    ${customer.username} / ${customer.password}`),
    ],
  };
}
