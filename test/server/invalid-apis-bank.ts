import type { BankIntegration, BankIntegrationContext } from '../../src/server/bank-integration.ts';
import createTestBank from '../helpers/test-bank.ts';

/**
 * The test bank with gateway APIs that are not a gateway file: a start with it fails late, in the
 * shared context, once the store, the Redis clients and the gateway's runtime are open.
 */
export default async function createInvalidApisBank(context: BankIntegrationContext): Promise<BankIntegration> {
  return { ...(await createTestBank(context)), gatewayApis: { apis: 'not a list' } };
}
