import { passwordAuthenticator } from '../src/auth/customers/password-authenticator.ts';
import { deriveKey } from '../src/config/derive-key.ts';
import type { BankIntegration, BankIntegrationContext } from '../src/server/bank-integration.ts';
import { ensureDefaultBank } from './bank/default-bank.ts';
import { STORY_LOGINS } from './bank/generate/story-customers.ts';
import { ledgerAccounts } from './bank/ledger-accounts.ts';
import { GENERATED_PASSWORD } from './bank/seed-bank.ts';
import { createSandboxDirectory } from './directory/sandbox-directory.ts';
import { shownOneTimeCode } from './shown-one-time-code.ts';

/**
 * The sandbox bank, as a `BANK_INTEGRATION` module (the default outside production): its ledger
 * (the default bank seeded on first start, see `bank/default-bank.ts`) holds the customers'
 * accounts; they sign in with their passwords and a one-time code the page shows, and partners
 * register with software statements from the sandbox directory (under `CERTS_DIR/directory/`).
 */
export default async function createSandboxBank({ config, secrets, db, logger, clock }: BankIntegrationContext): Promise<BankIntegration> {
  const bank = await ensureDefaultBank(db, clock);
  if (bank.seeded) logger.info({ seed: bank.record.seed, customers: bank.record.customers, asOf: bank.record.asOf }, 'sandbox_bank.seeded');
  const oneTimeCodeSecret = deriveKey(secrets, 'portcullis one-time codes');
  logger.warn('SANDBOX BANK IN USE: test customers, and one-time codes shown on the sign-in page, not sent to a phone; set BANK_INTEGRATION to the bank\'s own module before real customers sign in.');
  const directory = await createSandboxDirectory(config.certsDir);
  return {
    authenticator: { ...passwordAuthenticator(db), secondFactor: shownOneTimeCode(oneTimeCodeSecret, clock) },
    accounts: ledgerAccounts(db),
    directoryJwks: [directory.jwksPath],
    summary: [
      `  Sandbox directory JWKS:                  ${directory.jwksPath}`,
      '  Sandbox customers (username / password; then enter the code the page shows):',
      ...STORY_LOGINS.map((login) => `    ${`${login.username} / ${login.password}`.padEnd(38)} ${login.story}`),
      `    customer-1 … customer-${bank.record.customers} / ${GENERATED_PASSWORD}`,
    ],
  };
}
