import type { AuditLog } from '../../audit/audit-log.ts';
import type { Logger } from '../../observability/logger.ts';
import type { OperatorSignInDependencies } from '../operators/operator-sign-in.service.ts';

/** What the console's pages need: the operators' services, and the forms' CSRF secret. */
export interface ConsoleDependencies extends OperatorSignInDependencies {
  csrfSecret: Buffer;
  logger: Logger;
  /** Where the operators' changes are recorded, as the admin API records its own. */
  audit: AuditLog;
}
