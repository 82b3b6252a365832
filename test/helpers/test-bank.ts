import type { BankIntegration, BankIntegrationContext } from '../../src/server/bank-integration.ts';
import createSandboxBank from '../../sandbox/sandbox-bank.ts';

/**
 * The test servers' bank (`BANK_INTEGRATION` in `testEnvironment`): the sandbox bank without its
 * bank core, so that servers sharing one PostgreSQL catalogue do not point the sandbox's Open
 * Banking APIs at each other's cores. Tests of the core give `BANK_INTEGRATION` the sandbox's own.
 */
export default function createTestBank(context: BankIntegrationContext): Promise<BankIntegration> {
  return createSandboxBank(context, { withBankCore: false });
}
