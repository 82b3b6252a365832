import { passwordAuthenticator } from '../src/auth/customers/password-authenticator.ts';
import { deriveKey } from '../src/config/derive-key.ts';
import type { BankIntegration, BankIntegrationContext } from '../src/server/bank-integration.ts';
import { problemTypeBase } from '../src/server/error-family.ts';
import { gatewayJwks } from './bank-core/gateway-jwks.ts';
import { startBankCore } from './bank-core/start-bank-core.ts';
import { ensureDefaultBank } from './bank/default-bank.ts';
import { STORY_LOGINS } from './bank/generate/story-customers.ts';
import { ledgerAccounts } from './bank/ledger-accounts.ts';
import { GENERATED_PASSWORD } from './bank/seed-bank.ts';
import { ONBOARDING_PREFIX } from './directory/onboarding/onboarding.routes.ts';
import { sandboxOnboarding } from './directory/onboarding/sandbox-onboarding.ts';
import { createSandboxDirectory } from './directory/sandbox-directory.ts';
import { sandboxOpenBankingApis } from './open-banking-apis.ts';
import { sandboxPublicApis } from './public-apis.ts';
import { shownOneTimeCode } from './shown-one-time-code.ts';

export interface SandboxBankOptions {
  /**
   * Start the bank core and put its APIs in the gateway's catalogue (the default). The test suite's
   * servers leave it out: on PostgreSQL they share one catalogue, where each would point the same
   * APIs at its own core; a test that needs the core asks for it.
   */
  withBankCore?: boolean;
}

/** The Open Banking and public APIs, in one gateway document: the public ones bring the plans. */
function sandboxGatewayApis(bankCoreUrl: string, problemTypes: string) {
  const publicApis = sandboxPublicApis(bankCoreUrl, problemTypes);
  return { apis: [...sandboxOpenBankingApis(bankCoreUrl).apis, ...publicApis.apis], plans: publicApis.plans };
}

/**
 * The sandbox bank, as a `BANK_INTEGRATION` module (the default outside production): its ledger
 * (the default bank seeded on first start, see `bank/default-bank.ts`) holds the customers'
 * accounts; they sign in with their passwords and a one-time code the page shows, and partners
 * register with software statements from the sandbox directory (under `CERTS_DIR/directory/`),
 * presenting its transport certificates; partners sign up to that directory themselves through its
 * onboarding API on the browser listener. Its bank core answers the Open Banking resource APIs
 * and the exchange rates API behind the gateway, on loopback, trusting only the gateway's signed
 * identity; the gateway's catalogue gets the four APIs at each start, and the exchange rates API's
 * plans, so that a developer new to the portal has an API to subscribe to and call by key.
 */
export default async function createSandboxBank(context: BankIntegrationContext, options: SandboxBankOptions = {}): Promise<BankIntegration> {
  const { config, secrets, db, logger, clock } = context;
  const bank = await ensureDefaultBank(db, clock, logger);
  const oneTimeCodeSecret = deriveKey(secrets, 'portcullis one-time codes');
  logger.warn('SANDBOX BANK IN USE: test customers, and one-time codes shown on the sign-in page, not sent to a phone; set BANK_INTEGRATION to the bank\'s own module before real customers sign in.');
  const directory = await createSandboxDirectory(config.certsDir);
  const bankCore = options.withBankCore === false ? undefined : await startBankCore({ db, identityKeys: gatewayJwks(config), issuer: config.issuer, clock, logger });
  const onboarding = await sandboxOnboarding(context, directory);
  return {
    authenticator: { ...passwordAuthenticator(db), secondFactor: shownOneTimeCode(oneTimeCodeSecret, clock) },
    accounts: ledgerAccounts(db),
    directoryJwks: [directory.jwksPath],
    clientCaCertificates: [directory.transportCa.certificatePem],
    sandboxRoutes: onboarding.api,
    directoryOnboarding: onboarding.portal,
    onboardingUrl: `${config.issuer}${ONBOARDING_PREFIX}organisations`,
    ...(bankCore ? { gatewayApis: sandboxGatewayApis(bankCore.url, problemTypeBase(config.issuer)), close: () => bankCore.close() } : {}),
    summary: [
      `  Sandbox directory JWKS:                  ${directory.jwksPath}`,
      `  Sandbox directory transport CA:          ${directory.transportCa.certificatePath}`,
      `  Sandbox directory onboarding API:        ${config.issuer}${ONBOARDING_PREFIX}organisations`,
      ...(bankCore ? [`  Sandbox bank core (behind the gateway):  ${bankCore.url}`] : []),
      '  Sandbox customers (username / password; then enter the code the page shows):',
      ...STORY_LOGINS.map((login) => `    ${`${login.username} / ${login.password}`.padEnd(38)} ${login.story}`),
      ...(bank ? [`    customer-1 … customer-${bank.customers} / ${GENERATED_PASSWORD}`] : []),
    ],
  };
}
