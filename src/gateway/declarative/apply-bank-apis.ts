import { ConfigError } from '../../config/config.ts';
import type { ServiceContext } from '../../events/service-context.ts';
import type { Logger } from '../../observability/logger.ts';
import { issuePath } from '../catalogue/catalogue.schema.ts';
import { applyGatewayChanges } from './apply-gateway-changes.ts';
import { gatewayFileSchema } from './gateway-file.schema.ts';

/**
 * Puts the bank integration's own Open Banking APIs (`BankIntegration.gatewayApis`) in the
 * catalogue: added or brought up to date, every other API and plan left as the operators made them.
 * A document that is not a gateway file is the integration's mistake, reported as configuration.
 */
export async function applyBankApis(context: ServiceContext & { logger: Logger }, document: unknown): Promise<void> {
  const parsed = gatewayFileSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issuePath(issue.path) || '(top level)'}: ${issue.message}`);
    throw new ConfigError(`BANK_INTEGRATION: its gatewayApis are not a valid gateway file: ${problems.join('; ')}`);
  }
  const changes = await applyGatewayChanges({ ...context, actor: 'system' }, parsed.data, { delete: false });
  if (changes.length > 0) context.logger.info({ changes: changes.map((change) => `${'action' in change ? change.action : 'move'} ${change.entity} ${change.key}`) }, 'gateway.bank_apis_applied');
}
